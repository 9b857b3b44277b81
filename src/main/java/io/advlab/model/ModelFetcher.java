package io.advlab.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches a model at image build time (Dockerfile target {@code with-fetched-model}): loads it from
 * any URL the service accepts ({@code djl://} zoo URLs, {@code http(s)} archives of a model
 * folder) exactly as the service would, which proves it loads, then copies its folder to a
 * directory the image serves with the network off. Run with {@code -Dai.djl.offline=false}:
 * {@code java -cp <classes>:<lib>/* io.advlab.model.ModelFetcher <url> <target dir>}.
 */
public final class ModelFetcher {

  private ModelFetcher() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ModelFetcher <model url> <target dir>");
      System.exit(2);
    }
    Path target = Path.of(args[1]);
    List<Path> copied = fetch(args[0], target);
    System.out.printf("Fetched %s into %s: %s%n", args[0], target, copied);
  }

  /**
   * Loads the model at {@code url} as the service would (which downloads and proves it), then
   * copies its folder into {@code target}; returns the files copied. Also how the registry takes
   * a new version from a {@code djl://} or {@code http(s)://} URL.
   */
  static List<Path> fetch(String url, Path target) throws IOException {
    try (ClassifierModel model = new ModelLoader(url, "cpu", 0).load()) {
      return copy(model.inference().getModelPath(), target);
    }
  }

  /** Copies the files of {@code from} (recursively) into {@code to}; returns them relative to {@code to}. */
  static List<Path> copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      List<Path> files = walk.filter(Files::isRegularFile).toList();
      for (Path file : files) {
        Path dest = to.resolve(from.relativize(file).toString());
        Files.createDirectories(dest.getParent());
        Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
      }
      return files.stream().map(from::relativize).toList();
    }
  }
}
