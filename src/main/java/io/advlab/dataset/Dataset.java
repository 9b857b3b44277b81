package io.advlab.dataset;

import java.util.List;

/**
 * A data set as scanned.
 *
 * @param name the folder's name, unique across server-side and uploaded data sets
 * @param classes the class folder names, sorted: numeric names by value first, then the others
 *     lexicographically; {@link DatasetImage#classIndex()} indexes this list
 * @param images how many image files the class folders hold (0 for an empty data set)
 * @param digest {@code sha256:<hex>} over every image in {@link DatasetCatalog#images} order: its
 *     relative path (UTF-8), a 0 byte, its length (8 bytes, big-endian) and its bytes; the same
 *     files give the same digest wherever they lie, one changed byte or name changes it
 * @param source {@code dir} for a folder on the server, {@code upload} for an uploaded archive
 */
public record Dataset(String name, List<String> classes, int images, String digest, String source) {

  public Dataset {
    classes = List.copyOf(classes);
  }
}
