package io.advlab.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Copies the PyTorch natives that ship inside the application (the {@code pytorch-native-*} and
 * {@code pytorch-jni} jars) into DJL's engine cache layout, so a container image carries them
 * already extracted: startup skips the 450 MB (CPU) or 2.4 GB (CUDA) copy and the image runs with
 * a read-only root filesystem. Used by the Dockerfile at build time:
 * {@code java -cp <classes>:<lib>/* io.advlab.model.NativeLibraries /opt/advlab/engines}.
 *
 * <p>The layout is the one DJL's {@code ai.djl.pytorch.jni.LibUtils} looks for under
 * {@code ENGINE_CACHE_DIR}: {@code pytorch/<version>-<flavor>-<classifier>/} holding the
 * libraries (stored in the native jar under {@code pytorch/<flavor>/<classifier>/}) and
 * {@code <djl version>-libdjl_torch.so}. It reads only the properties files, so it
 * also prepares CUDA natives on a build machine without a GPU (DJL itself would pick the CPU
 * flavour there). Plain JDK code: no DJL class is loaded.
 */
public final class NativeLibraries {

  private NativeLibraries() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: NativeLibraries <engine cache dir>");
      System.exit(2);
    }
    Path dir = extract(Path.of(args[0]));
    System.out.println("PyTorch natives extracted to " + dir);
  }

  /** Extracts into {@code engineCache/pytorch/...} and returns the folder holding the libraries. */
  static Path extract(Path engineCache) throws IOException {
    Properties natives = properties("native/lib/pytorch.properties");
    Properties engine = properties("pytorch-engine.properties");
    String version = required(natives, "version");
    String flavor = required(natives, "flavor");
    String classifier = required(natives, "classifier");
    String djlVersion = required(engine, "djl_version");
    Path dir = engineCache.resolve("pytorch").resolve(version + '-' + flavor + '-' + classifier);
    Files.createDirectories(dir);
    for (String library : required(natives, "libraries").split(",")) {
      copy("pytorch/" + flavor + '/' + classifier + '/' + library, dir.resolve(library));
    }
    String jni = "libdjl_torch.so";
    copy("jnilib/" + classifier + '/' + flavor + '/' + jni, dir.resolve(djlVersion + '-' + jni));
    return dir;
  }

  private static Properties properties(String resource) throws IOException {
    try (InputStream in = open(resource)) {
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    }
  }

  private static void copy(String resource, Path target) {
    try (InputStream in = open(resource)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
    }
  }

  private static InputStream open(String resource) throws IOException {
    URL url = NativeLibraries.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IOException(resource + " is not on the class path (pytorch-native / pytorch-jni jars missing?)");
    }
    return url.openStream();
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("missing '" + key + "' in PyTorch properties");
    }
    return value.trim();
  }
}
