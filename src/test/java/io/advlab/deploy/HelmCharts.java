package io.advlab.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.Yaml;

/** Renders {@code helm/advlab} with the Helm library that helm-java embeds (no cluster, no network). */
final class HelmCharts {

  static final Path CHART = Path.of("helm", "advlab").toAbsolutePath();
  static final Path CI = CHART.resolve("ci");

  private static final Pattern HOOK_ANNOTATION = Pattern.compile("(?m)^\\s*\"?helm\\.sh/hook\"?\\s*:.*\\R");

  private HelmCharts() {
  }

  /** The objects {@code helm template <release> --namespace advlab} gives with these values files and --set values. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> render(Path chart, String release, Map<String, Object> sets, Path... valuesFiles) {
    TemplateCommand command = new Helm(chart).template().withName(release).withNamespace("advlab")
        .withKubeVersion("1.31.0");
    for (Path valuesFile : valuesFiles) {
      command = command.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(command.call())) {
      if (doc instanceof Map<?, ?> map) {
        docs.add((Map<String, Object>) map);
      }
    }
    return docs;
  }

  /**
   * A copy of the chart in {@code dir} whose hooks (the {@code helm test} Pod) render as plain
   * manifests: helm-java's template leaves hooks out, so the copy drops their hook annotations.
   */
  static Path withHooksAsManifests(Path dir) throws IOException {
    Path copy = dir.resolve("advlab");
    FileSystemUtils.copyRecursively(CHART, copy);
    try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file);
        Files.writeString(file, HOOK_ANNOTATION.matcher(text).replaceAll(""));
      }
    }
    return copy;
  }
}
