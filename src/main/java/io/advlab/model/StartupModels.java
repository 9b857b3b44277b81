package io.advlab.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Decides what to load at start: {@code advlab.models} when listed; else the one model of
 * {@code advlab.model.url} (required, as before there was a registry; named as its
 * {@code serving.properties} names it, else after its folder); else the built-in defaults,
 * the DJL zoo's pretrained ResNet18 (downloaded and cached when the network is there) and the
 * digits demo bundled in the application, so a first run works on any machine.
 *
 * @param models the models to load, in order
 * @param defaultModel the name requests without {@code model} get
 */
record StartupModels(List<ModelsProperties.Entry> models, String defaultModel) {

  /** The DJL model zoo's pretrained ResNet18 (needs the network on first use). */
  static final String ZOO_RESNET18 = "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18";
  /** The digits CNN shipped inside the application (see {@code src/main/resources/models/digits}). */
  static final String DEMO_DIGITS = "classpath:models/digits";

  static StartupModels resolve(ModelsProperties models, ModelProperties model) {
    List<ModelsProperties.Entry> entries;
    if (!models.models().isEmpty()) {
      entries = models.models();
    } else if (!model.url().isBlank()) {
      String name = model.name().isBlank() ? nameOfModelAt(model.url()) : model.name();
      entries = List.of(new ModelsProperties.Entry(name, model.url(), 1, "", true));
    } else {
      entries = List.of(new ModelsProperties.Entry("resnet18", ZOO_RESNET18, 1, "", false),
          new ModelsProperties.Entry("digits", DEMO_DIGITS, 1, "", false));
    }
    String defaultModel = models.defaultModel().isBlank() ? entries.get(0).name() : models.defaultModel();
    return new StartupModels(entries, defaultModel);
  }

  /**
   * The name of the one model {@code url} names: the {@code option.modelName} of a local folder's
   * {@code serving.properties} (what the model calls itself, whatever folder it was copied or
   * mounted to, e.g. an image's {@code /models/baked}), else {@link #nameOf}.
   */
  static String nameOfModelAt(String url) {
    try {
      Path dir = url.startsWith("file:") ? Path.of(URI.create(url))
          : url.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? null : Path.of(url);
      Path serving = dir == null ? null : dir.resolve("serving.properties");
      if (serving != null && Files.isRegularFile(serving)) {
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(serving)) {
          p.load(reader);
        }
        String declared = p.getProperty("option.modelName", "").strip();
        if (ModelId.NAME.matcher(declared).matches()) {
          return declared;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a readable local folder: fall back to the URL
    }
    return nameOf(url);
  }

  /**
   * A model name from its URL: the last path segment without archive or model extensions, with
   * the zoo's {@code traced_} prefix dropped ({@code .../traced_resnet18} is {@code resnet18}), and
   * anything a name may not hold replaced by '-'.
   */
  static String nameOf(String url) {
    String path = url;
    try {
      if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
        URI uri = URI.create(url);
        path = uri.getPath() != null ? uri.getPath() : uri.getSchemeSpecificPart();
      }
    } catch (IllegalArgumentException e) {
      path = url;
    }
    String last = path.replaceAll("[/\\\\]+$", "");
    last = last.substring(Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\')) + 1);
    last = last.replaceAll("(?i)\\.(zip|tar\\.gz|tgz|tar|pt)$", "");
    if (last.toLowerCase(Locale.ROOT).startsWith("traced_")) {
      last = last.substring("traced_".length());
    }
    last = last.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return last.isEmpty() ? "model" : last.length() > 64 ? last.substring(0, 64) : last;
  }
}
