package io.advlab.dataset;

import static io.advlab.dataset.DatasetFolders.bytes;
import static io.advlab.dataset.DatasetFolders.tarGz;
import static io.advlab.dataset.DatasetFolders.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Uploads appear whole or not at all; only uploads can be deleted. */
class DatasetUploadsTests {

  @TempDir
  Path serverSide;

  @TempDir
  Path uploadDir;

  private DatasetCatalog catalog;
  private DatasetUploads uploads;

  private void start(int maxImages) {
    DatasetProperties properties = new DatasetProperties(serverSide, uploadDir, DataSize.ofKilobytes(64), 20,
        DataSize.ofKilobytes(64), maxImages);
    catalog = new DatasetCatalog(properties);
    uploads = new DatasetUploads(catalog, properties);
  }

  private Dataset upload(String name, Map<String, byte[]> files) throws IOException {
    return uploads.upload(name, new ByteArrayInputStream(tarGz(files)));
  }

  private static Map<String, byte[]> files(String... paths) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String p : paths) {
      out.put(p, bytes("image " + p));
    }
    return out;
  }

  private static void assertProblem(ThrowingCallable call, ProblemType type, String detail) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.type()).isEqualTo(type);
      assertThat(e.getMessage()).contains(detail);
    });
  }

  /** Everything in the upload folder, hidden staging folders included. */
  private Stream<String> uploadFolder() throws IOException {
    return Files.list(uploadDir).map(p -> p.getFileName().toString());
  }

  @Test
  void anUploadWithOrWithoutATopFolderIsListedAsAnUpload() throws IOException {
    start(100);
    Dataset wrapped = upload("wrapped", files("cifar/0/a.png", "cifar/1/b.png"));
    Dataset flat = upload("flat", files("0/a.png", "1/b.png", "1/c.png"));

    assertThat(wrapped.classes()).containsExactly("0", "1");
    assertThat(wrapped.source()).isEqualTo("upload");
    assertThat(flat.images()).isEqualTo(3);
    assertThat(catalog.list()).extracting(Dataset::name).containsExactly("flat", "wrapped");
    assertThat(catalog.images("wrapped")).extracting(DatasetImage::path).containsExactly("0/a.png", "1/b.png");
    assertThat(uploadFolder()).containsExactlyInAnyOrder("flat", "wrapped");
  }

  @Test
  void aSingleClassFolderIsAOneClassDataSetNotAWrapper() throws IOException {
    start(100);
    assertThat(upload("one", files("cat/a.png")).classes()).containsExactly("cat");
  }

  @Test
  void hostileEmptyOrOversizedArchivesStoreNothing() throws IOException {
    start(2);
    Map<String, byte[]> traversal = files("0/a.png");
    traversal.put("../escaped.png", new byte[1]);

    assertProblem(() -> upload("evil", traversal), ProblemType.INVALID_ARCHIVE, "outside");
    assertProblem(() -> upload("empty", files("0/readme.txt", "a.png")), ProblemType.DATASET_EMPTY, "no images");
    assertProblem(() -> upload("big", files("0/a.png", "0/b.png", "1/c.png")), ProblemType.DATASET_TOO_LARGE,
        "more than 2");
    assertProblem(() -> upload("bomb", Map.of("0/a.png", new byte[100_000])), ProblemType.ARCHIVE_TOO_LARGE,
        "advlab.datasets.max-unpacked-bytes");
    assertProblem(() -> uploads.upload("junk", new ByteArrayInputStream(bytes("not an archive"))),
        ProblemType.INVALID_ARCHIVE, "not a zip");

    assertThat(uploadFolder()).isEmpty();
    assertThat(uploadDir.resolveSibling("escaped.png")).doesNotExist();
    assertThat(catalog.list()).isEmpty();
  }

  @Test
  void aTakenNameIs409AndABadNameIs400() throws IOException {
    start(100);
    write(serverSide.resolve("test"), files("0/a.png"));
    upload("mine", files("0/a.png"));

    assertProblem(() -> upload("test", files("0/b.png")), ProblemType.DATASET_CONFLICT, "'test' exists");
    assertProblem(() -> upload("mine", files("0/b.png")), ProblemType.DATASET_CONFLICT, "'mine' exists");
    assertProblem(() -> upload("../x", files("0/b.png")), ProblemType.INVALID_REQUEST, "data set name");
    assertThat(catalog.images("mine")).extracting(DatasetImage::path).containsExactly("0/a.png");
  }

  @Test
  void onlyUploadsCanBeDeleted() throws IOException {
    start(100);
    write(serverSide.resolve("test"), files("0/a.png"));
    upload("mine", files("0/a.png"));

    uploads.delete("mine");

    assertThat(catalog.list()).extracting(Dataset::name).containsExactly("test");
    assertThat(uploadFolder()).isEmpty();
    assertProblem(() -> uploads.delete("test"), ProblemType.DATASET_CONFLICT, "folder on the server");
    assertProblem(() -> uploads.delete("mine"), ProblemType.DATASET_NOT_FOUND, "No data set 'mine'");
  }

  @Test
  void stagingFoldersLeftByACrashAreRemovedAtStart() throws IOException {
    write(uploadDir.resolve(".staging-1234"), files("unpacked/0/a.png"));
    start(100);
    assertThat(uploadFolder()).isEmpty();
  }
}
