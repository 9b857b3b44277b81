package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The model registry through real HTTP: two models at once, a version registered from a folder
 * while clients classify (no request lost), default version, unload, archive uploads and their
 * guards, the admin credentials, and a restart that serves the stored versions again.
 */
@RequiresSharedModel("digits")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelRegistryApiTests {

  private static final String TOKEN = "registry-test-token";
  private static final String CLASSIFY = "/api/v1/classifications";

  @TempDir
  static Path store;

  private static TestServer server;

  @BeforeAll
  static void start() {
    TestRequirements.assumeSharedModel("resnet18-untrained");
    server = new TestServer(properties());
    TestServer.awaitSettled(server.api());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, Object> properties() {
    Map<String, Object> p = new HashMap<>();
    p.put("advlab.models[0].name", "digits");
    p.put("advlab.models[0].url", TestRequirements.sharedModel("digits").toString());
    p.put("advlab.models[0].required", "true");
    p.put("advlab.models[1].name", "resnet18-untrained");
    p.put("advlab.models[1].url", TestRequirements.sharedModel("resnet18-untrained").toString());
    p.put("advlab.default-model", "digits");
    p.put("advlab.store.dir", store.toString());
    p.put("advlab.store.max-archive-bytes", "5MB");
    p.put("advlab.store.max-unpacked-bytes", "4MB");
    p.put("advlab.security.admin-token", TOKEN);
    p.put("advlab.model.workers", "2");
    return p;
  }

  private static HttpApi api() {
    return server.api();
  }

  @Test
  @Order(1)
  void twoModelsAreServedAtOnceAndConcurrentRequestsToBothAnswerCorrectly() throws Exception {
    JsonNode list = api().get("/api/v1/models").json();
    assertThat(list.get("defaultModel").asString()).isEqualTo("digits");
    assertThat(TestServer.state(list, "digits", 1)).isEqualTo("READY");
    assertThat(TestServer.state(list, "resnet18-untrained", 1)).isEqualTo("READY");
    assertThat(list.get("models").get(0).get("default").asBoolean()).isTrue();

    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 4; i++) {
          int digit = (thread + i) % 10;
          boolean resnet = (thread + i) % 2 == 0;
          HttpApi.Response r = api().postImage(CLASSIFY, sample(digit), digit + ".png",
              Map.of("model", resnet ? "resnet18-untrained" : "digits:1"));
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          JsonNode body = r.json();
          if (resnet) {
            assertThat(body.get("model").get("name").asString()).isEqualTo("resnet18-untrained");
            assertThat(body.get("predictions")).hasSize(5);
          } else {
            assertThat(body.get("model").get("id").asString()).isEqualTo("digits:1");
            assertThat(body.get("predictions").get(0).get("label").asString()).isEqualTo(Integer.toString(digit));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  @Test
  @Order(2)
  void unknownOrMalformedModelsAreClearProblems() throws Exception {
    HttpApi.Response unknown = api().postImage(CLASSIFY, sample(3), "3.png", Map.of("model", "cifar"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asString()).endsWith("/model-not-found");
    assertThat(unknown.json().get("detail").asString()).contains("cifar", "digits", "resnet18-untrained");

    HttpApi.Response noVersion = api().postJson(CLASSIFY, Map.of("imageBase64", base64(sample(3)), "model", "digits:9"));
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.json().get("detail").asString()).contains("no version 9");

    HttpApi.Response malformed = api().postJson(CLASSIFY, Map.of("imageBase64", base64(sample(3)), "model", "di gits"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("field").asString()).isEqualTo("model");

    assertThat(api().get("/api/v1/models/cifar").status()).isEqualTo(404);
    assertThat(api().get("/api/v1/models/digits/versions/7").status()).isEqualTo(404);
    JsonNode version = api().get("/api/v1/models/digits/versions/1").json();
    assertThat(version.get("info").get("classes").asInt()).isEqualTo(10);
    assertThat(api().get("/api/v1/labels/3?model=digits").json().get("name").asString()).isEqualTo("3");
  }

  @Test
  @Order(3)
  void managementNeedsTheAdminToken() {
    String body = "{\"path\": \"" + TestRequirements.sharedModel("digits") + "\"}";
    HttpApi.Response anonymous = api().send(HttpRequest.newBuilder(uri("/api/v1/models/digits/versions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith("application/problem+json");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
    HttpApi.Response wrong = admin("POST", "/api/v1/models/digits/versions", body, "not-the-token");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.contentType()).startsWith("application/problem+json");
    assertThat(TestServer.state(api().get("/api/v1/models").json(), "digits", 2)).as("nothing registered").isNull();
  }

  @Test
  @Order(4)
  void aVersionRegisteredFromAFolderWhileClientsClassifyLosesNoRequest() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    Map<String, Integer> answeredBy = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> clients = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int digit = t;
      clients.add(pool.submit(() -> {
        while (running.get()) {
          HttpApi.Response r = api().postImage(CLASSIFY, sample(digit), digit + ".png", Map.of("model", "digits"));
          if (r.status() != 200) {
            failures.add(r.status() + " " + r.body());
            continue;
          }
          JsonNode body = r.json();
          answeredBy.merge(body.get("model").get("id").asString(), 1, Integer::sum);
          if (!body.get("predictions").get(0).get("label").asString().equals(Integer.toString(digit))) {
            failures.add("wrong label for " + digit + ": " + body);
          }
        }
        return null;
      }));
    }
    HttpApi.Response registered = admin("POST", "/api/v1/models/digits/versions",
        "{\"path\": \"" + TestRequirements.sharedModel("digits") + "\"}", TOKEN);
    assertThat(registered.status()).as(registered.body()).isEqualTo(202);
    assertThat(registered.header("Location")).isEqualTo("/api/v1/models/digits/versions/2");
    assertThat(registered.json().get("state").asString()).isEqualTo("LOADING");
    TestServer.awaitModels(api(), m -> "READY".equals(TestServer.state(m, "digits", 2)), Duration.ofMinutes(2));

    HttpApi.Response setDefault = admin("PUT", "/api/v1/models/digits/default-version", "{\"version\": 2}", TOKEN);
    assertThat(setDefault.status()).as(setDefault.body()).isEqualTo(200);
    assertThat(setDefault.json().get("defaultVersion").asInt()).isEqualTo(2);
    awaitAnswers(answeredBy, "digits:2", 20);
    HttpApi.Response unloaded = admin("POST", "/api/v1/models/digits/versions/1/unload", "", TOKEN);
    assertThat(unloaded.status()).as(unloaded.body()).isEqualTo(200);
    assertThat(unloaded.json().get("state").asString()).isEqualTo("UNLOADED");
    int before = answeredBy.getOrDefault("digits:2", 0);
    awaitAnswers(answeredBy, "digits:2", before + 20);
    running.set(false);
    for (Future<?> client : clients) {
      client.get(1, TimeUnit.MINUTES);
    }
    pool.shutdown();

    assertThat(failures).as("requests lost or wrong during the swap").isEmpty();
    assertThat(answeredBy.get("digits:1")).as("answered by version 1 before the swap").isPositive();
    HttpApi.Response pinned = api().postImage(CLASSIFY, sample(4), "4.png", Map.of("model", "digits:1"));
    assertThat(pinned.status()).isEqualTo(503);
    assertThat(pinned.json().get("type").asString()).endsWith("/model-not-ready");
    assertThat(pinned.json().get("readyModels").toString()).contains("digits:2");
    HttpApi.Response notReady = admin("PUT", "/api/v1/models/digits/default-version", "{\"version\": 1}", TOKEN);
    assertThat(notReady.status()).isEqualTo(409);
    JsonNode stored = api().get("/api/v1/models/digits/versions/2").json();
    assertThat(stored.get("status").get("stored").asBoolean()).isTrue();
    assertThat(stored.get("status").get("metadata").get("source").asString()).contains("digits");
    assertThat(store.resolve("digits/2/digits.pt")).isRegularFile();
    assertThat(store.resolve("digits/2/metadata.json")).isRegularFile();
  }

  @Test
  @Order(5)
  void archivesAreCheckedBeforeAnythingIsStored() throws Exception {
    HttpApi.Response ok = upload(zip(Map.of(
        "digits/digits.pt", Files.readAllBytes(TestRequirements.sharedModel("digits").resolve("digits.pt")),
        "digits/synset.txt", Files.readAllBytes(TestRequirements.sharedModel("digits").resolve("synset.txt")),
        "digits/serving.properties",
        Files.readAllBytes(TestRequirements.sharedModel("digits").resolve("serving.properties")))));
    assertThat(ok.status()).as(ok.body()).isEqualTo(202);
    assertThat(ok.header("Location")).isEqualTo("/api/v1/models/digits/versions/3");
    TestServer.awaitModels(api(), m -> "READY".equals(TestServer.state(m, "digits", 3)), Duration.ofMinutes(2));
    HttpApi.Response v3 = api().postImage(CLASSIFY, sample(8), "8.png", Map.of("model", "digits:3"));
    assertThat(v3.json().get("predictions").get(0).get("label").asString()).isEqualTo("8");

    HttpApi.Response traversal = upload(zip(Map.of("../../evil.pt", new byte[] {1, 2, 3})));
    assertThat(traversal.status()).isEqualTo(422);
    assertThat(traversal.json().get("type").asString()).endsWith("/invalid-archive");
    assertThat(traversal.json().get("detail").asString()).contains("outside");

    HttpApi.Response notArchive = upload("just text, not an archive".getBytes());
    assertThat(notArchive.status()).isEqualTo(422);
    HttpApi.Response noModel = upload(zip(Map.of("readme.txt", "hello".getBytes())));
    assertThat(noModel.status()).isEqualTo(422);
    assertThat(noModel.json().get("detail").asString()).contains(".pt");
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(1).nextBytes(big);
    HttpApi.Response tooLarge = upload(big);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().get("type").asString()).endsWith("/archive-too-large");
    byte[] bomb = zip(Map.of("model.pt", new byte[8 * 1024 * 1024]));
    assertThat(bomb.length).as("8 MB of zeros zip to a few KB").isLessThan(100_000);
    HttpApi.Response bombed = upload(bomb);
    assertThat(bombed.status()).isEqualTo(413);
    assertThat(bombed.json().get("detail").asString()).contains("unpacks to more than");

    try (var versions = Files.list(store.resolve("digits"))) {
      assertThat(versions.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList())
          .as("only whole versions in the store").containsExactly("2", "3");
    }
    assertThat(store.getParent().resolve("evil.pt")).doesNotExist();
  }

  @Test
  @Order(6)
  void aRestartServesTheStoredVersionsAndDefaultsAgain() throws Exception {
    TestServer.awaitSettled(api());
    server.close();
    server = new TestServer(properties());
    JsonNode models = TestServer.awaitSettled(server.api());
    assertThat(TestServer.state(models, "digits", 2)).isEqualTo("READY");
    assertThat(TestServer.state(models, "digits", 3)).isEqualTo("READY");
    assertThat(server.api().get("/api/v1/models/digits").json().get("defaultVersion").asInt()).isEqualTo(2);
    HttpApi.Response r = server.api().postImage(CLASSIFY, sample(6), "6.png", Map.of("model", "digits"));
    assertThat(r.json().get("model").get("id").asString()).isEqualTo("digits:2");
    assertThat(r.json().get("predictions").get(0).get("label").asString()).isEqualTo("6");
  }

  private static void awaitAnswers(Map<String, Integer> answeredBy, String id, int count) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (answeredBy.getOrDefault(id, 0) < count && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(answeredBy.getOrDefault(id, 0)).as("answers by " + id).isGreaterThanOrEqualTo(count);
  }

  private static HttpApi.Response upload(byte[] archive) {
    return api().send(HttpRequest.newBuilder(uri("/api/v1/models/digits/versions/archive"))
        .header("Content-Type", "application/zip").header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofByteArray(archive)));
  }

  private static HttpApi.Response admin(String method, String path, String json, String token) {
    return api().send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.ofString(json)));
  }

  private static URI uri(String path) {
    return URI.create(api().base() + path);
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] sample(int digit) throws IOException {
    return Files.readAllBytes(Path.of("samples", "digits", digit + ".png"));
  }

  private static String base64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }
}
