package io.advlab.dataset;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One scan of a data set folder: its class folders (sorted, see {@link #CLASS_ORDER}), the image
 * files directly inside each (by file name), the per-class counts and the digest. Hidden files and
 * folders (a leading {@code .}) and {@code __MACOSX} are ignored, as are files that are not
 * images by their extension and files directly in the data set folder.
 */
record DatasetScan(Dataset dataset, List<DatasetImage> images, List<Integer> counts, Set<String> paths) {

  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff");

  /** Numeric names by value (ties by text: {@code 07} before {@code 7}), then the others by text. */
  static final Comparator<String> CLASS_ORDER = Comparator.<String, Boolean>comparing(n -> !isNumber(n))
      .thenComparing((a, b) -> isNumber(a) && isNumber(b) ? new java.math.BigInteger(a).compareTo(
          new java.math.BigInteger(b)) : 0)
      .thenComparing(Comparator.naturalOrder());

  DatasetScan {
    images = List.copyOf(images);
    counts = List.copyOf(counts);
    paths = Set.copyOf(paths);
  }

  /** Scans {@code root}; a 422 {@code dataset-too-large} past {@code maxImages}. */
  static DatasetScan of(String name, Path root, String source, int maxImages) throws IOException {
    List<String> classes = classFolders(root);
    List<DatasetImage> images = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      List<String> files = imageFiles(root.resolve(classes.get(c)));
      if (images.size() + files.size() > maxImages) {
        throw new ApiException(ProblemType.DATASET_TOO_LARGE, "Data set '" + name + "' has more than " + maxImages
            + " images (advlab.datasets.max-images).").with("dataset", name);
      }
      for (String file : files) {
        images.add(new DatasetImage(classes.get(c) + "/" + file, c));
      }
      counts.add(files.size());
    }
    Set<String> paths = new java.util.HashSet<>();
    images.forEach(image -> paths.add(image.path()));
    String digest = digest(root, images);
    return new DatasetScan(new Dataset(name, classes, images.size(), digest, source), images, counts, paths);
  }

  /**
   * What changes when images or classes are added, removed or renamed: the modification times of
   * the folder and of each class folder. Cheap next to a scan.
   */
  static String fingerprint(Path root) throws IOException {
    StringBuilder out = new StringBuilder().append(Files.getLastModifiedTime(root).toMillis());
    for (String c : classFolders(root)) {
      out.append('|').append(c).append('=').append(Files.getLastModifiedTime(root.resolve(c)).toMillis());
    }
    return out.toString();
  }

  static boolean hidden(Path path) {
    String name = path.getFileName().toString();
    return name.startsWith(".") || name.equals("__MACOSX");
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean isNumber(String name) {
    return !name.isEmpty() && name.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  private static List<String> classFolders(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.filter(p -> !hidden(p) && Files.isDirectory(p)).map(p -> p.getFileName().toString())
          .sorted(CLASS_ORDER).toList();
    }
  }

  private static List<String> imageFiles(Path classDir) throws IOException {
    try (Stream<Path> entries = Files.list(classDir)) {
      return entries.filter(p -> !hidden(p) && isImage(p) && Files.isRegularFile(p))
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String digest(Path root, List<DatasetImage> images) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer length = ByteBuffer.allocate(Long.BYTES);
    for (DatasetImage image : images) {
      byte[] bytes = Files.readAllBytes(root.resolve(image.path()));
      sha.update(image.path().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(length.clear().putLong(bytes.length).array());
      sha.update(bytes);
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
