package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Model archives: zip, tar and tar.gz unpack; traversal, links, bombs, too many entries do not. */
class ModelArchivesTests {

  private static final ModelArchives ARCHIVES = new ModelArchives(new StoreProperties(Path.of("unused"),
      DataSize.ofKilobytes(64), 5, DataSize.ofKilobytes(32)));

  @TempDir
  Path dir;

  private Path write(byte[] bytes) throws IOException {
    return Files.write(dir.resolve("archive-" + System.nanoTime()), bytes);
  }

  private static byte[] tar(Map<String, byte[]> files, boolean gzip) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var sink = gzip ? new GZIPOutputStream(out) : out; TarArchiveOutputStream tar = new TarArchiveOutputStream(sink)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
        entry.setSize(f.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static Map<String, byte[]> model(String prefix) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(prefix + "net.pt", "weights".getBytes());
    files.put(prefix + "synset.txt", "a\nb\n".getBytes());
    return files;
  }

  private static void assertProblem(ThrowingCall call, ProblemType type, String detail) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.type()).isEqualTo(type);
      assertThat(e.getMessage()).contains(detail);
      assertThat(e.properties()).containsEntry("field", "archive");
    });
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void zipTarAndTarGzUnpackToTheModelFolder() throws IOException {
    Path fromZip = ARCHIVES.unpack(write(ModelRegistryApiTests.zip(model("net/"))), dir.resolve("a"));
    assertThat(fromZip).isEqualTo(dir.resolve("a/net"));
    assertThat(fromZip.resolve("net.pt")).hasContent("weights");
    Path fromTar = ARCHIVES.unpack(write(tar(model(""), false)), dir.resolve("b"));
    assertThat(fromTar).isEqualTo(dir.resolve("b"));
    Path fromTgz = ARCHIVES.unpack(write(tar(model("m/"), true)), dir.resolve("c"));
    assertThat(fromTgz.resolve("synset.txt")).hasContent("a\nb\n");
  }

  @Test
  void entriesOutsideTheFolderAreRefused() throws IOException {
    for (String name : new String[] {"../evil.pt", "a/../../evil.pt", "/etc/evil.pt"}) {
      Map<String, byte[]> files = model("");
      files.put(name, new byte[1]);
      assertProblem(() -> ARCHIVES.unpack(write(ModelRegistryApiTests.zip(files)), dir.resolve("z")),
          ProblemType.INVALID_ARCHIVE, "outside");
      if (!name.startsWith("/")) {
        assertProblem(() -> ARCHIVES.unpack(write(tar(files, true)), dir.resolve("t")),
            ProblemType.INVALID_ARCHIVE, "outside");
      }
    }
    assertThat(dir.resolve("evil.pt")).doesNotExist();
    Map<String, byte[]> absolute = model("");
    absolute.put("/etc/evil.pt", new byte[1]);
    ARCHIVES.unpack(write(tar(absolute, false)), dir.resolve("abs"));
    assertThat(dir.resolve("abs/etc/evil.pt")).as("tar stores absolute names relative, inside the folder").exists();
  }

  @Test
  void linksAreRefused() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry link = new TarArchiveEntry("net.pt", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    assertProblem(() -> ARCHIVES.unpack(write(out.toByteArray()), dir.resolve("l")), ProblemType.INVALID_ARCHIVE,
        "link");
  }

  @Test
  void bombsTooManyEntriesAndOversizedUploadsStopAtTheLimits() throws IOException {
    assertProblem(() -> ARCHIVES.unpack(write(ModelRegistryApiTests.zip(Map.of("net.pt", new byte[1 << 20]))),
        dir.resolve("bomb")), ProblemType.ARCHIVE_TOO_LARGE, "unpacks to more than");
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      many.put("f" + i + ".pt", new byte[1]);
    }
    assertProblem(() -> ARCHIVES.unpack(write(ModelRegistryApiTests.zip(many)), dir.resolve("many")),
        ProblemType.INVALID_ARCHIVE, "more than 5 entries");
    assertProblem(() -> ARCHIVES.receive(new ByteArrayInputStream(new byte[100_000]), dir.resolve("upload")),
        ProblemType.ARCHIVE_TOO_LARGE, "larger than");
    assertThatThrownBy(() -> ARCHIVES.receive(new ByteArrayInputStream(new byte[0]), dir.resolve("empty")))
        .isInstanceOf(ApiException.class).hasMessageContaining("empty");
  }

  @Test
  void notAnArchiveOrNoModelFileIsAClearProblem() throws IOException {
    assertProblem(() -> ARCHIVES.unpack(write("hello".getBytes()), dir.resolve("x")), ProblemType.INVALID_ARCHIVE,
        "not a zip");
    assertProblem(() -> ARCHIVES.unpack(write(ModelRegistryApiTests.zip(Map.of("readme.txt", new byte[3]))),
        dir.resolve("y")), ProblemType.INVALID_ARCHIVE, ".pt");
    byte[] zip = ModelRegistryApiTests.zip(model(""));
    byte[] truncated = java.util.Arrays.copyOf(zip, zip.length / 2);
    assertThatThrownBy(() -> ARCHIVES.unpack(write(truncated), dir.resolve("w"))).isInstanceOf(ApiException.class);
  }
}
