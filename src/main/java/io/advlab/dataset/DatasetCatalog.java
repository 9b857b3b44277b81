package io.advlab.dataset;

import io.advlab.model.Labels;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The data sets: every sub-folder of {@code advlab.datasets.dir} (and of the upload folder, when
 * that is another one) whose name is a valid data set name. A data set is scanned and its digest
 * computed on first use, then kept until its folder or a class folder changes (their modification
 * times), so repeated calls cost a few {@code stat}s; the scan of one name runs once at a time.
 */
@Component
public class DatasetCatalog {

  private static final Logger log = LoggerFactory.getLogger(DatasetCatalog.class);

  /** Data set names, as model names: 1 to 64 letters, digits, {@code . _ -}, not starting with . _ -. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Written into an uploaded data set's folder; a hidden file, so never an image. */
  static final String UPLOAD_MARKER = ".advlab-upload";

  private record Cached(Path root, String fingerprint, DatasetScan scan) {}

  private final DatasetProperties properties;
  private final List<Path> roots;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public DatasetCatalog(DatasetProperties properties) {
    this.properties = properties;
    Path dir = properties.dir().toAbsolutePath().normalize();
    Path uploads = properties.uploads().toAbsolutePath().normalize();
    this.roots = dir.equals(uploads) ? List.of(dir) : List.of(dir, uploads);
    log.info("Data sets in {}", roots);
  }

  /** Every data set, by name. One that cannot be scanned (too many images, unreadable) is left out and logged. */
  public List<Dataset> list() {
    List<Dataset> out = new ArrayList<>();
    for (String name : folders().keySet()) {
      try {
        out.add(scan(name).dataset());
      } catch (ApiException | UncheckedIOException e) {
        log.warn("Data set '{}' left out of the list: {}", name, e.getMessage());
      }
    }
    return out;
  }

  /** The data set {@code name}; 404 {@code dataset-not-found} naming the known ones. */
  public Dataset get(String name) {
    return scan(name).dataset();
  }

  /** Every image, by class then file name; 422 {@code dataset-empty} when there is none. */
  public List<DatasetImage> images(String name) {
    return nonEmpty(scan(name)).images();
  }

  /** The bytes of one of {@link #images}'s images; 404 when the data set no longer holds it. */
  public byte[] read(String name, DatasetImage image) {
    Cached cached = cache.get(name);
    if (cached == null || !cached.scan().paths().contains(image.path())) {
      scan(name);
      cached = cache.get(name);
    }
    if (cached == null || !cached.scan().paths().contains(image.path())) {
      throw noImage(name, image);
    }
    try {
      return Files.readAllBytes(cached.root().resolve(image.path()));
    } catch (NoSuchFileException e) {
      throw noImage(name, image);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * For each class index, the model's label index: the class folders are the labels' names (or
   * WordNet ids), or class indices in range. 422 {@code dataset-mismatch} naming the folders that
   * match nothing, 422 {@code dataset-empty} for a data set without images.
   */
  public int[] labelsFor(String name, Labels labels) {
    return labelsFor(name, labels, "the model");
  }

  /** {@link #labelsFor(String, Labels)} with the model named in a mismatch ({@code model 'digits:1'}). */
  int[] labelsFor(String name, Labels labels, String model) {
    return ClassMatcher.match(name, nonEmpty(scan(name)).dataset().classes(), labels, model);
  }

  /** Images per class, in {@link Dataset#classes()} order. */
  List<Integer> counts(String name) {
    return scan(name).counts();
  }

  /** Whether {@code name} is a data set (of either source). */
  boolean exists(String name) {
    return folder(name) != null;
  }

  /** Drops what is cached of {@code name} (after it was removed). */
  void forget(String name) {
    cache.remove(name);
  }

  /** Data set folders by name; a server-side one hides an uploaded one of the same name. */
  private Map<String, Path> folders() {
    Map<String, Path> out = new TreeMap<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(root)) {
        entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
            .forEach(p -> out.putIfAbsent(p.getFileName().toString(), p));
      } catch (IOException e) {
        log.warn("Cannot list data sets in {}: {}", root, e.toString());
      }
    }
    return out;
  }

  private Path folder(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return null;
    }
    return roots.stream().map(root -> root.resolve(name)).filter(Files::isDirectory).findFirst().orElse(null);
  }

  private DatasetScan scan(String name) {
    Path root = folder(name);
    if (root == null) {
      throw new ApiException(ProblemType.DATASET_NOT_FOUND, "No data set '" + name + "'; data sets: "
          + folders().keySet() + " (GET /api/v1/datasets).").with("dataset", String.valueOf(name));
    }
    synchronized (locks.computeIfAbsent(name, n -> new Object())) {
      try {
        String fingerprint = DatasetScan.fingerprint(root);
        Cached cached = cache.get(name);
        if (cached != null && cached.root().equals(root) && cached.fingerprint().equals(fingerprint)) {
          return cached.scan();
        }
        String source = Files.exists(root.resolve(UPLOAD_MARKER)) ? "upload" : "dir";
        DatasetScan scan = DatasetScan.of(name, root, source, properties.maxImages());
        cache.put(name, new Cached(root, fingerprint, scan));
        return scan;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot scan data set '" + name + "' in " + root, e);
      }
    }
  }

  private static DatasetScan nonEmpty(DatasetScan scan) {
    if (scan.images().isEmpty()) {
      Dataset d = scan.dataset();
      throw new ApiException(ProblemType.DATASET_EMPTY, "Data set '" + d.name() + "' holds no images: it needs class"
          + " folders holding " + new java.util.TreeSet<>(DatasetScan.EXTENSIONS) + " files (class folders found: "
          + d.classes() + ").")
          .with("dataset", d.name());
    }
    return scan;
  }

  private static ApiException noImage(String name, DatasetImage image) {
    return new ApiException(ProblemType.DATASET_NOT_FOUND, "Data set '" + name + "' holds no image '" + image.path()
        + "' (any more).").with("dataset", name);
  }
}
