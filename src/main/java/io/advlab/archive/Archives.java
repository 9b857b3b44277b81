package io.advlab.archive;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks an archive (zip, tar or tar.gz, told apart by their first bytes) into a folder with the
 * care given to images: the compressed size is capped while it streams in, then every entry is
 * checked: no absolute paths or {@code ..} (path traversal), no links or devices, at most
 * {@code maxFiles} entries and {@code maxUnpackedBytes} in all, counted while writing, so a zip
 * bomb stops at the cap. Each failure is a 4xx problem with {@code field: archive}.
 */
public final class Archives {

  public static final String FIELD = "archive";

  private final ArchiveLimits limits;

  public Archives(ArchiveLimits limits) {
    this.limits = limits;
  }

  /** Streams {@code in} to {@code file}, failing with 413 past {@code maxArchiveBytes}. */
  public void receive(InputStream in, Path file) throws IOException {
    long max = limits.maxArchiveBytes().toBytes();
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > max) {
          throw new ApiException(ProblemType.ARCHIVE_TOO_LARGE, "The archive is larger than "
              + limits.maxArchiveBytes() + " (" + limits.propertyPrefix() + ".max-archive-bytes).").with("field", FIELD);
        }
        out.write(buffer, 0, n);
      }
      if (total == 0) {
        throw ApiException.invalidField(FIELD, "The archive is empty: send a zip or tar.gz of " + limits.contents()
            + " as the request body.");
      }
    }
  }

  /** Unpacks {@code archive} into {@code target} (created when missing). */
  public void unpack(Path archive, Path target) throws IOException {
    Files.createDirectories(target);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
      raw.mark(4);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 'P' && b1 == 'K') {
        unzip(archive, target);
      } else if (b0 == 0x1f && b1 == 0x8b) {
        untar(new GZIPInputStream(raw), target);
      } else if (isTar(archive)) {
        untar(raw, target);
      } else {
        throw invalid("The archive is not a zip, tar or tar.gz file.");
      }
    } catch (ZipException | EOFException e) {
      throw invalid("The archive is corrupt or truncated: " + e.getMessage());
    }
  }

  /** A 422 {@code invalid-archive} problem naming the {@code archive} field. */
  public static ApiException invalid(String detail) {
    return new ApiException(ProblemType.INVALID_ARCHIVE, detail).with("field", FIELD);
  }

  /**
   * Reads the zip through its central directory, so a truncated upload (no directory at the end)
   * is refused instead of yielding the entries that happened to arrive.
   */
  private void unzip(Path archive, Path target) throws IOException {
    Budget budget = new Budget();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        Path out = budget.entry(target, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          try (InputStream in = zip.getInputStream(entry)) {
            budget.write(in, out);
          }
        }
      }
    }
    budget.requireFiles();
  }

  private void untar(InputStream raw, Path target) throws IOException {
    Budget budget = new Budget();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
            || entry.isFIFO()) {
          throw invalid("The archive holds a link or device '" + entry.getName() + "'; only files and folders are"
              + " accepted.");
        }
        Path out = budget.entry(target, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          budget.write(tar, out);
        }
      }
    } catch (IllegalArgumentException e) {
      throw invalid("The tar archive is corrupt: " + e.getMessage());
    }
    budget.requireFiles();
  }

  private static boolean isTar(Path archive) throws IOException {
    try (InputStream in = Files.newInputStream(archive)) {
      byte[] header = in.readNBytes(512);
      return header.length == 512 && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }
  }

  /** Counts entries and unpacked bytes against the limits while writing. */
  private final class Budget {
    private int files;
    private long bytes;

    Path entry(Path target, String name) {
      if (++files > limits.maxFiles()) {
        throw invalid("The archive has more than " + limits.maxFiles() + " entries"
            + " (" + limits.propertyPrefix() + ".max-archive-files).");
      }
      String clean = name.replace('\\', '/');
      Path out = target.resolve(clean).normalize();
      if (clean.startsWith("/") || clean.matches("^[A-Za-z]:.*") || !out.startsWith(target) || out.equals(target)
          && !clean.matches("\\.?/?")) {
        throw invalid("The archive entry '" + name + "' points outside the archive's folder.");
      }
      return out;
    }

    void write(InputStream in, Path out) throws IOException {
      Files.createDirectories(out.getParent());
      long max = limits.maxUnpackedBytes().toBytes();
      try (OutputStream os = Files.newOutputStream(out)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          bytes += n;
          if (bytes > max) {
            throw new ApiException(ProblemType.ARCHIVE_TOO_LARGE, "The archive unpacks to more than "
                + limits.maxUnpackedBytes() + " (" + limits.propertyPrefix() + ".max-unpacked-bytes).")
                .with("field", FIELD);
          }
          os.write(buffer, 0, n);
        }
      }
    }

    void requireFiles() {
      if (files == 0) {
        throw invalid("The archive is empty.");
      }
    }
  }
}
