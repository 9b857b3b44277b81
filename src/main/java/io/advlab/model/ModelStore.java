package io.advlab.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model store on disk: {@code <dir>/<name>/<version>/} holds a version's TorchScript file,
 * {@code synset.txt}, {@code serving.properties} and {@code metadata.json}; {@code
 * <dir>/registry.json} the default model and each model's default version. A version appears
 * whole or not at all: its files are written into a staging folder next to it, which is renamed
 * into place (one atomic rename), and metadata is replaced the same way. Staging folders left by a
 * crash are removed at start.
 */
final class ModelStore {

  private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
  static final String METADATA = "metadata.json";
  private static final String REGISTRY = "registry.json";
  private static final String STAGING_PREFIX = ".staging-";

  /** A version found in the store. */
  record Stored(ModelId id, Path dir, ModelMetadata metadata) {}

  /** What {@code registry.json} keeps across restarts. */
  record Defaults(String defaultModel, Map<String, Integer> defaultVersions) {
    Defaults {
      defaultVersions = defaultVersions == null ? Map.of() : Map.copyOf(defaultVersions);
    }
  }

  private final Path dir;
  private final JsonMapper json;
  private final String unavailable;

  ModelStore(Path dir, JsonMapper json) {
    this.dir = dir.toAbsolutePath().normalize();
    this.json = json;
    this.unavailable = prepare(this.dir);
  }

  /** Null when the store is usable, else why not (in words). */
  String unavailable() {
    return unavailable;
  }

  Path dir() {
    return dir;
  }

  private static String prepare(Path dir) {
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        return "the model store " + dir + " is not writable";
      }
      try (Stream<Path> models = Files.list(dir)) {
        for (Path model : models.filter(Files::isDirectory).toList()) {
          try (Stream<Path> entries = Files.list(model)) {
            for (Path staging : entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
              log.warn("Removing {} left by an interrupted registration", staging);
              deleteTree(staging);
            }
          }
        }
      }
      return null;
    } catch (IOException | UncheckedIOException e) {
      log.warn("Model store {} cannot be used ({}); registering new versions is disabled", dir, e.toString());
      return "the model store " + dir + " cannot be used: " + e.getMessage();
    }
  }

  /** Every complete version in the store, by name and version. */
  List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    if (unavailable != null) {
      return out;
    }
    try (Stream<Path> models = Files.list(dir)) {
      for (Path model : models.filter(Files::isDirectory).sorted().toList()) {
        String name = model.getFileName().toString();
        if (!ModelId.NAME.matcher(name).matches()) {
          continue;
        }
        try (Stream<Path> versions = Files.list(model)) {
          for (Path version : versions.filter(Files::isDirectory).toList()) {
            String v = version.getFileName().toString();
            if (v.matches("[1-9][0-9]{0,8}") && Files.isRegularFile(version.resolve(METADATA))) {
              out.add(new Stored(new ModelId(name, Integer.parseInt(v)), version, readMetadata(version)));
            }
          }
        }
      }
    } catch (IOException e) {
      log.warn("Cannot list the model store {}: {}", dir, e.toString());
    }
    out.sort(Comparator.comparing(Stored::id));
    return out;
  }

  /**
   * Copies the model files of {@code source} into {@code <name>/<version>/} with its metadata, all
   * or nothing; fails when that version already exists.
   */
  Path install(ModelId id, Path source, ModelMetadata metadata) throws IOException {
    Path parent = Files.createDirectories(dir.resolve(id.name()));
    Path target = parent.resolve(Integer.toString(id.version()));
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "version already in the store");
    }
    Path staging = parent.resolve(STAGING_PREFIX + UUID.randomUUID());
    try {
      ModelFetcher.copy(source, staging);
      Files.deleteIfExists(staging.resolve(METADATA));
      json.writeValue(staging.resolve(METADATA).toFile(), metadata);
      move(staging, target);
      return target;
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  /** Replaces a version's metadata (written beside it, then renamed over it). */
  void writeMetadata(ModelId id, ModelMetadata metadata) throws IOException {
    Path version = dir.resolve(id.name()).resolve(Integer.toString(id.version()));
    writeAtomically(version.resolve(METADATA), metadata);
  }

  /** Removes a version's folder (a registration whose model did not load). */
  void delete(ModelId id) {
    Path version = dir.resolve(id.name()).resolve(Integer.toString(id.version()));
    try {
      if (Files.exists(version)) {
        deleteTree(version);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot remove {}: {}", version, e.toString());
    }
  }

  Defaults readDefaults() {
    Path file = dir.resolve(REGISTRY);
    if (unavailable != null || !Files.isRegularFile(file)) {
      return new Defaults(null, Map.of());
    }
    try {
      return json.readValue(file.toFile(), Defaults.class);
    } catch (RuntimeException e) {
      log.warn("Ignoring unreadable {}: {}", file, e.toString());
      return new Defaults(null, Map.of());
    }
  }

  void writeDefaults(String defaultModel, Map<String, Integer> defaultVersions) throws IOException {
    if (unavailable == null) {
      writeAtomically(dir.resolve(REGISTRY), new Defaults(defaultModel, new LinkedHashMap<>(defaultVersions)));
    }
  }

  private ModelMetadata readMetadata(Path version) {
    try {
      return json.readValue(version.resolve(METADATA).toFile(), ModelMetadata.class);
    } catch (RuntimeException e) {
      log.warn("Unreadable {} in {}: {}", METADATA, version, e.toString());
      return new ModelMetadata("unknown", null, null, "registered", Map.of(), Map.of(), true);
    }
  }

  private void writeAtomically(Path file, Object value) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      json.writeValue(temp.toFile(), value);
      move(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
