package io.advlab.dataset;

import static io.advlab.dataset.DatasetFolders.bytes;
import static io.advlab.dataset.DatasetFolders.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.model.Labels;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Scanning, ordering, digests and class mapping on small folders. */
class DatasetCatalogTests {

  @TempDir
  Path dir;

  private DatasetCatalog catalog(int maxImages) {
    return new DatasetCatalog(new DatasetProperties(dir, null, DataSize.ofMegabytes(1), 100, DataSize.ofMegabytes(1),
        maxImages));
  }

  private DatasetCatalog catalog() {
    return catalog(1000);
  }

  private static Map<String, byte[]> files(String... paths) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String p : paths) {
      out.put(p, bytes("image " + p));
    }
    return out;
  }

  private static void assertProblem(ThrowingCallable call, ProblemType type, String... detail) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.type()).isEqualTo(type);
      if (detail.length > 0) {
        assertThat(e.getMessage()).contains(detail);
      }
    });
  }

  @Test
  void classesSortNumericallyThenByNameAndImagesByClassThenFileName() {
    write(dir.resolve("mixed"), files("10/a.png", "2/b.jpg", "2/a.JPEG", "1/z.webp", "b/x.tif", "a/y.bmp", "01/c.gif"));

    Dataset dataset = catalog().get("mixed");

    assertThat(dataset.classes()).containsExactly("01", "1", "2", "10", "a", "b");
    assertThat(dataset.images()).isEqualTo(7);
    assertThat(dataset.source()).isEqualTo("dir");
    assertThat(catalog().images("mixed")).containsExactly(new DatasetImage("01/c.gif", 0),
        new DatasetImage("1/z.webp", 1), new DatasetImage("2/a.JPEG", 2), new DatasetImage("2/b.jpg", 2),
        new DatasetImage("10/a.png", 3), new DatasetImage("a/y.bmp", 4), new DatasetImage("b/x.tif", 5));
    assertThat(catalog().counts("mixed")).containsExactly(1, 1, 2, 1, 1, 1);
  }

  @Test
  void hiddenFilesAndFoldersNonImagesAndFilesAtTheTopAreIgnored() {
    write(dir.resolve("ds"), files("0/a.png", "0/.b.png", "0/notes.txt", ".cache/c.png", "__MACOSX/0/._a.png",
        "top.png", "1/d.png"));
    write(dir.resolve(".hidden"), files("0/a.png"));

    assertThat(catalog().list()).extracting(Dataset::name).containsExactly("ds");
    assertThat(catalog().images("ds")).extracting(DatasetImage::path).containsExactly("0/a.png", "1/d.png");
  }

  @Test
  void theDigestDependsOnNamesAndBytesNotOnWhereTheFolderLies() throws IOException {
    write(dir.resolve("one"), files("0/a.png", "1/b.png"));
    write(dir.resolve("two"), files("0/a.png", "1/b.png"));
    write(dir.resolve("renamed"), files("0/a.png", "1/c.png"));
    Map<String, byte[]> changed = files("0/a.png", "1/b.png");
    changed.get("1/b.png")[0] ^= 1;
    write(dir.resolve("changed"), changed);

    String digest = catalog().get("one").digest();

    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(catalog().get("two").digest()).isEqualTo(digest);
    assertThat(catalog().get("renamed").digest()).isNotEqualTo(digest);
    assertThat(catalog().get("changed").digest()).isNotEqualTo(digest);
  }

  @Test
  void aNewImageIsSeenOnceItsClassFolderChanged() throws IOException {
    write(dir.resolve("ds"), files("0/a.png"));
    DatasetCatalog catalog = catalog();
    String before = catalog.get("ds").digest();

    write(dir.resolve("ds"), files("0/b.png"));
    // File systems keep coarse modification times: make sure the folder's mtime moved.
    Files.setLastModifiedTime(dir.resolve("ds/0"), FileTime.from(Instant.now().plusSeconds(5)));

    assertThat(catalog.get("ds").images()).isEqualTo(2);
    assertThat(catalog.get("ds").digest()).isNotEqualTo(before);
    assertThat(catalog.images("ds")).extracting(DatasetImage::path).containsExactly("0/a.png", "0/b.png");
  }

  @Test
  void readGivesTheBytesOfAnImageOfTheDataSetOnly() {
    write(dir.resolve("ds"), files("0/a.png"));
    write(dir, files("secret.png"));
    DatasetCatalog catalog = catalog();

    assertThat(catalog.read("ds", catalog.images("ds").get(0))).isEqualTo(bytes("image 0/a.png"));
    assertProblem(() -> catalog.read("ds", new DatasetImage("../secret.png", 0)), ProblemType.DATASET_NOT_FOUND,
        "no image '../secret.png'");
  }

  @Test
  void unknownDataSetsAre404NamingTheKnownOnes() {
    write(dir.resolve("cifar"), files("0/a.png"));

    assertProblem(() -> catalog().get("imagenet"), ProblemType.DATASET_NOT_FOUND, "No data set 'imagenet'", "[cifar]");
    assertProblem(() -> catalog().get("../cifar"), ProblemType.DATASET_NOT_FOUND);
  }

  @Test
  void anEmptyDataSetIsListedButCannotBeEvaluated() throws IOException {
    Files.createDirectories(dir.resolve("empty/0"));
    write(dir.resolve("empty"), files("1/readme.txt"));

    Dataset empty = catalog().get("empty");
    assertThat(empty.images()).isZero();
    assertThat(empty.classes()).containsExactly("0", "1");
    assertThat(catalog().list()).extracting(Dataset::name).containsExactly("empty");
    assertProblem(() -> catalog().images("empty"), ProblemType.DATASET_EMPTY, "holds no images");
    assertProblem(() -> catalog().labelsFor("empty", Labels.parse(List.of("0", "1"))), ProblemType.DATASET_EMPTY);
  }

  @Test
  void aDataSetOverMaxImagesIsRefusedAndLeftOutOfTheList() {
    write(dir.resolve("big"), files("0/a.png", "0/b.png", "1/c.png"));
    write(dir.resolve("small"), files("0/a.png"));

    assertProblem(() -> catalog(2).get("big"), ProblemType.DATASET_TOO_LARGE, "more than 2 images");
    assertThat(catalog(2).list()).extracting(Dataset::name).containsExactly("small");
  }

  @Test
  void labelsForMatchesLabelNamesOrWordNetIds() {
    write(dir.resolve("names"), files("dog/a.png", "bird/b.png"));
    write(dir.resolve("wnids"), files("n00000002/a.png", "n00000001/b.png"));
    Labels labels = Labels.parse(List.of("n00000001 cat", "n00000002 dog", "n00000003 bird"));

    assertThat(catalog().labelsFor("names", labels)).containsExactly(2, 1);
    assertThat(catalog().labelsFor("wnids", labels)).containsExactly(0, 1);
  }

  @Test
  void labelsForMatchesClassIndicesInRange() {
    write(dir.resolve("indices"), files("0/a.png", "2/b.png"));
    write(dir.resolve("out"), files("0/a.png", "3/b.png"));
    Labels labels = Labels.parse(List.of("cat", "dog", "bird"));

    assertThat(catalog().labelsFor("indices", labels)).containsExactly(0, 2);
    assertProblem(() -> catalog().labelsFor("out", labels), ProblemType.DATASET_MISMATCH, "[3]", "0..2");
  }

  @Test
  void aMismatchNamesTheFoldersThatMatchNothingAndSomeLabels() {
    write(dir.resolve("pets"), files("cat/a.png", "hamster/b.png", "ferret/c.png"));
    Labels labels = Labels.parse(List.of("cat", "dog", "bird"));

    assertThatThrownBy(() -> catalog().labelsFor("pets", labels)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.type()).isEqualTo(ProblemType.DATASET_MISMATCH);
      assertThat(e.getMessage()).contains("'pets'", "[ferret, hamster]", "[cat, dog, bird]", "3 in all");
      assertThat(e.properties()).containsEntry("unmatched", List.of("ferret", "hamster"))
          .containsEntry("modelLabels", List.of("cat", "dog", "bird"));
    });
  }
}
