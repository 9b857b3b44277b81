package io.advlab.model;

import io.advlab.archive.ArchiveLimits;
import io.advlab.archive.Archives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model archive: unpacked by {@link Archives} under the store's limits, then it must hold a
 * TorchScript {@code .pt} file at its top level or in its only folder.
 */
final class ModelArchives {

  private final Archives archives;

  ModelArchives(StoreProperties limits) {
    this.archives = new Archives(new ArchiveLimits(limits.maxArchiveBytes(), limits.maxArchiveFiles(),
        limits.maxUnpackedBytes(), "advlab.store", "a model folder"));
  }

  /** Streams {@code in} to {@code file}, failing with 413 past {@code maxArchiveBytes}. */
  void receive(InputStream in, Path file) throws IOException {
    archives.receive(in, file);
  }

  /**
   * Unpacks {@code archive} into {@code target} and returns the model folder: {@code target}
   * itself, or its only sub-folder when the archive wraps the files in one.
   */
  Path unpack(Path archive, Path target) throws IOException {
    archives.unpack(archive, target);
    return modelFolder(target);
  }

  private static Path modelFolder(Path target) throws IOException {
    try (Stream<Path> top = Files.list(target)) {
      List<Path> entries = top.toList();
      Path dir = entries.size() == 1 && Files.isDirectory(entries.get(0)) ? entries.get(0) : target;
      try (Stream<Path> files = Files.list(dir)) {
        if (files.noneMatch(f -> f.getFileName().toString().endsWith(".pt"))) {
          throw Archives.invalid("The archive holds no TorchScript .pt file at its top level (or in its only folder).");
        }
      }
      return dir;
    }
  }
}
