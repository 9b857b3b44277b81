package io.advlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The data set API over real HTTP, with {@code advlab.datasets.dir} on the shared digits images
 * ({@code test} and {@code train}) and uploads going to a temporary folder, never into the shared one.
 */
class DatasetApiTests extends DigitsServerTest {

  private static final String ADMIN_TOKEN = "test-admin-token-datasets-0123456789";

  @TempDir
  static Path uploadDir;

  @DynamicPropertySource
  static void datasets(DynamicPropertyRegistry registry) {
    registry.add("advlab.datasets.dir", () -> TestRequirements.sharedDir().resolve("images/digits").toString());
    registry.add("advlab.datasets.upload-dir", () -> uploadDir.toString());
    registry.add("advlab.security.admin-token", () -> ADMIN_TOKEN);
  }

  @BeforeAll
  static void digitsImages() {
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
  }

  private HttpApi.Response upload(String name, byte[] archive, String token) {
    return uploadTo("/api/v1/datasets/" + name, archive, token);
  }

  private HttpApi.Response uploadTo(String path, byte[] archive, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api().base() + path))
        .header("Content-Type", "application/gzip").POST(HttpRequest.BodyPublishers.ofByteArray(archive));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return api().send(request);
  }

  private HttpApi.Response delete(String name) {
    return api().send(HttpRequest.newBuilder(URI.create(api().base() + "/api/v1/datasets/" + name))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).DELETE());
  }

  private static Map<String, byte[]> digits(String prefix, int... classes) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int c : classes) {
      files.put(prefix + c + "/sample.png", Files.readAllBytes(Path.of("samples", "digits", c + ".png")));
    }
    return files;
  }

  private static JsonNode byName(JsonNode list, String name) {
    for (JsonNode dataset : list.get("datasets")) {
      if (dataset.get("name").asString().equals(name)) {
        return dataset;
      }
    }
    return null;
  }

  private static void assertProblem(HttpApi.Response response, int status, String slug) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("type").asString()).isEqualTo("https://advlab.io/problems/" + slug);
  }

  @Test
  void theSharedDigitsFoldersAreListedAsTestAndTrain() {
    JsonNode list = api().get("/api/v1/datasets").json();

    JsonNode test = byName(list, "test");
    assertThat(test).as(list.toString()).isNotNull();
    assertThat(test.get("images").asInt()).isEqualTo(1000);
    assertThat(test.get("classes").toString()).isEqualTo("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]");
    assertThat(test.get("source").asString()).isEqualTo("dir");
    assertThat(test.get("digest").asString()).matches("sha256:[0-9a-f]{64}");
    assertThat(byName(list, "train").get("images").asInt()).isEqualTo(4000);
  }

  @Test
  void oneDataSetHasItsImagesPerClass() {
    JsonNode test = api().get("/api/v1/datasets/test").json();

    int sum = 0;
    for (JsonNode c : test.get("perClass")) {
      sum += c.get("images").asInt();
    }
    assertThat(test.get("perClass")).hasSize(10);
    assertThat(test.get("perClass").get(7).get("name").asString()).isEqualTo("7");
    assertThat(sum).isEqualTo(1000);
  }

  @Test
  void theDigitsClassesMapOntoTheDigitsLabelsOneToOne() {
    HttpApi.Response response = api().get("/api/v1/datasets/test/classes?model=digits");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode mapping = response.json();
    assertThat(mapping.get("model").asString()).isEqualTo("digits:1");
    List<String> pairs = new ArrayList<>();
    mapping.get("classes").forEach(c -> pairs.add(c.get("folder").asString() + "->" + c.get("labelIndex").asInt()
        + "/" + c.get("label").asString()));
    assertThat(pairs).containsExactly("0->0/0", "1->1/1", "2->2/2", "3->3/3", "4->4/4", "5->5/5", "6->6/6", "7->7/7",
        "8->8/8", "9->9/9");
  }

  @Test
  void theNameMayComeAsAQueryParameter() throws IOException {
    byte[] archive = DatasetFolders.tarGz(digits("", 4, 7));
    assertThat(uploadTo("/api/v1/datasets?name=named", archive, null).status()).isEqualTo(401);
    assertProblem(uploadTo("/api/v1/datasets", archive, ADMIN_TOKEN), 400, "invalid-request");

    HttpApi.Response created = uploadTo("/api/v1/datasets?name=named", archive, ADMIN_TOKEN);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/datasets/named");
    assertThat(api().get("/api/v1/datasets/named").json().get("images").asInt()).isEqualTo(2);
    assertThat(delete("named").status()).isEqualTo(204);
  }

  @Test
  void anUploadedArchiveIsStoredListedAndDeleted() throws IOException {
    HttpApi.Response created = upload("two-digits", DatasetFolders.tarGz(digits("set/", 3, 8)), ADMIN_TOKEN);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/datasets/two-digits");
    assertThat(created.json().get("source").asString()).isEqualTo("upload");
    assertThat(byName(api().get("/api/v1/datasets").json(), "two-digits").get("images").asInt()).isEqualTo(2);
    assertThat(api().get("/api/v1/datasets/two-digits/classes?model=digits").json().get("classes").get(1)
        .get("labelIndex").asInt()).isEqualTo(8);
    assertProblem(upload("two-digits", DatasetFolders.tarGz(digits("", 1)), ADMIN_TOKEN), 409, "dataset-conflict");

    assertThat(delete("two-digits").status()).isEqualTo(204);
    assertProblem(api().get("/api/v1/datasets/two-digits"), 404, "dataset-not-found");
    assertProblem(delete("test"), 409, "dataset-conflict");
  }

  @Test
  void classFoldersThatAreNoDigitAre422NamingThem() throws IOException {
    Map<String, byte[]> files = digits("", 1);
    files.put("cat/x.png", files.get("1/sample.png"));
    assertThat(upload("with-cat", DatasetFolders.tarGz(files), ADMIN_TOKEN).status()).isEqualTo(201);

    HttpApi.Response mismatch = api().get("/api/v1/datasets/with-cat/classes?model=digits");

    assertProblem(mismatch, 422, "dataset-mismatch");
    assertThat(mismatch.json().get("unmatched").toString()).isEqualTo("[\"cat\"]");
    assertThat(mismatch.json().get("detail").asString()).contains("[cat]", "model 'digits:1'", "10 in all");
    delete("with-cat");
  }

  @Test
  void aTraversalArchiveIs422AndStoresNothing() throws IOException {
    Map<String, byte[]> files = digits("", 1);
    files.put("../../escaped.png", files.get("1/sample.png"));

    assertProblem(upload("evil", DatasetFolders.tarGz(files), ADMIN_TOKEN), 422, "invalid-archive");
    assertProblem(api().get("/api/v1/datasets/evil"), 404, "dataset-not-found");
    try (var left = Files.list(uploadDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.equals("evil") || n.startsWith("."));
    }
    assertThat(uploadDir.resolveSibling("escaped.png")).doesNotExist();
  }

  @Test
  void uploadsNeedTheAdminToken() throws IOException {
    assertProblem(upload("anonymous", DatasetFolders.tarGz(digits("", 1)), null), 401, "unauthorized");
    assertProblem(api().get("/api/v1/datasets/anonymous"), 404, "dataset-not-found");
  }

  @Test
  void anUnknownDataSetIs404NamingTheKnownOnes() {
    HttpApi.Response response = api().get("/api/v1/datasets/imagenet");

    assertProblem(response, 404, "dataset-not-found");
    assertThat(response.json().get("detail").asString()).contains("'imagenet'", "test", "train");
  }
}
