package io.advlab.dataset;

import io.advlab.archive.ArchiveLimits;
import io.advlab.archive.Archives;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Uploaded data sets: the archive is received and unpacked (with the {@link Archives} guards) into
 * a hidden staging folder inside the upload folder, checked for ImageFolder layout, then renamed
 * into {@code <upload folder>/<name>} in one step, so a data set appears whole or not at all.
 * Staging folders left by a crash are removed at start.
 */
@Component
class DatasetUploads {

  private static final Logger log = LoggerFactory.getLogger(DatasetUploads.class);
  private static final String STAGING_PREFIX = ".staging-";

  private final DatasetCatalog catalog;
  private final Archives archives;
  private final Path dir;
  private final int maxImages;

  DatasetUploads(DatasetCatalog catalog, DatasetProperties properties) {
    this.catalog = catalog;
    this.archives = new Archives(new ArchiveLimits(properties.maxArchiveBytes(), properties.maxArchiveFiles(),
        properties.maxUnpackedBytes(), "advlab.datasets", "class folders of images"));
    this.dir = properties.uploads().toAbsolutePath().normalize();
    this.maxImages = properties.maxImages();
    removeStaging();
  }

  /** Stores the archive in {@code body} as data set {@code name}; 409 when the name is taken. */
  Dataset upload(String name, InputStream body) throws IOException {
    requireName(name);
    requireFree(name);
    Path staging = createStaging();
    try {
      Path archive = staging.resolve("archive");
      archives.receive(body, archive);
      Path unpacked = staging.resolve("unpacked");
      archives.unpack(archive, unpacked);
      Path root = datasetFolder(unpacked);
      DatasetScan scan = DatasetScan.of(name, root, "upload", maxImages);
      if (scan.images().isEmpty()) {
        throw new ApiException(ProblemType.DATASET_EMPTY, "The archive holds no images in ImageFolder layout: put"
            + " each class's images in a folder named after the class (0/a.png, 1/b.png...), optionally inside one"
            + " top folder.").with("field", Archives.FIELD);
      }
      Files.writeString(root.resolve(DatasetCatalog.UPLOAD_MARKER), Instant.now() + "\n", StandardCharsets.UTF_8);
      install(name, root);
      return catalog.get(name);
    } finally {
      deleteQuietly(staging);
    }
  }

  /** Removes an uploaded data set; 409 for a server-side one. */
  void delete(String name) throws IOException {
    Dataset dataset = catalog.get(name);
    if (!"upload".equals(dataset.source())) {
      throw new ApiException(ProblemType.DATASET_CONFLICT, "Data set '" + name + "' is a folder on the server, not an"
          + " upload; remove it there.").with("dataset", name);
    }
    Path folder = dir.resolve(name);
    Path trash = dir.resolve(STAGING_PREFIX + "deleted-" + UUID.randomUUID());
    move(folder, trash);
    catalog.forget(name);
    deleteQuietly(trash);
  }

  /** The unpacked folder, or its only folder when that holds no images itself (a wrapping folder). */
  private static Path datasetFolder(Path unpacked) throws IOException {
    List<Path> top = visible(unpacked);
    if (top.size() == 1 && Files.isDirectory(top.get(0))
        && visible(top.get(0)).stream().noneMatch(p -> Files.isRegularFile(p) && DatasetScan.isImage(p))) {
      return top.get(0);
    }
    return unpacked;
  }

  private static List<Path> visible(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.filter(p -> !DatasetScan.hidden(p)).toList();
    }
  }

  private synchronized void install(String name, Path root) throws IOException {
    requireFree(name);
    move(root, dir.resolve(name));
    catalog.forget(name);
  }

  private void requireFree(String name) {
    if (catalog.exists(name)) {
      throw new ApiException(ProblemType.DATASET_CONFLICT, "A data set named '" + name + "' exists; delete it first"
          + " or choose another name.").with("dataset", name);
    }
  }

  private Path createStaging() {
    try {
      Files.createDirectories(dir);
      return Files.createDirectory(dir.resolve(STAGING_PREFIX + UUID.randomUUID()));
    } catch (IOException e) {
      throw new ApiException(ProblemType.DATASETS_UNAVAILABLE, "Cannot store an uploaded data set: " + dir
          + " is not writable (" + e.getMessage() + "); set advlab.datasets.upload-dir to a writable folder.");
    }
  }

  private void removeStaging() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path staging : entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
        log.warn("Removing {} left by an interrupted upload", staging);
        deleteTree(staging);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot clean up staging folders in {}: {}", dir, e.toString());
    }
  }

  private static void requireName(String name) {
    if (!DatasetCatalog.NAME.matcher(name).matches()) {
      throw ApiException.invalidField("name", "A data set name has 1 to 64 letters, digits, '.', '_' or '-' and starts"
          + " with a letter or digit; got '" + name + "'.");
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot remove {} ({}); it is removed at the next start", root, e.toString());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
