package io.advlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.advlab.support.HttpApi;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Fine-tuning through real HTTP on the digits model (training set {@code ../shared/images/digits/train},
 * the held-out {@code test} digits for validation and the automatic evaluations): the issue's
 * recipes reach its targets, the result is {@code digits:2}, {@code digits:3}... served beside
 * digits:1, its file loads in Debian's PyTorch with the same logits, and bad input is a 4xx.
 */
@RequiresSharedModel("digits")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FineTuningApiTests {

  private static final String TOKEN = "fine-tuning-test-token";
  @TempDir
  static Path temp;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    Path uploads = Files.createDirectories(temp.resolve("uploads"));
    Path letters = Files.createDirectories(uploads.resolve("letters").resolve("a"));
    try (Stream<Path> seven = Files.list(TestRequirements.digitsTestDir().resolve("7"))) {
      Files.copy(seven.findFirst().orElseThrow(), letters.resolve("a.png"));
    }
    Map<String, Object> p = new HashMap<>();
    p.put("advlab.models[0].name", "digits");
    p.put("advlab.models[0].url", TestRequirements.sharedModel("digits").toString());
    p.put("advlab.models[0].required", "true");
    p.put("advlab.default-model", "digits");
    p.put("advlab.store.dir", temp.resolve("store").toString());
    p.put("advlab.datasets.dir", TestRequirements.sharedDir().resolve("images").resolve("digits").toString());
    p.put("advlab.datasets.upload-dir", uploads.toString());
    p.put("advlab.security.admin-token", TOKEN);
    p.put("jobrunr.background-job-server.poll-interval-in-seconds", "5");
    server = new TestServer(p);
    TestServer.awaitModels(server.api(), m -> "READY".equals(TestServer.state(m, "digits", 1)), Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void badRequestsAreProblemsAndStoreNothing() {
    Map<String, Object> good = request("pgd", Map.of("eps", 0.1, "epochs", 1));
    assertProblem(post("nope", good, TOKEN), 404, "model-not-found");
    assertProblem(post("digits", with(good, "dataset", "letters"), TOKEN), 422, "dataset-mismatch");
    assertProblem(post("digits", with(good, "dataset", "none"), TOKEN), 404, "dataset-not-found");
    assertThat(field(post("digits", request("pgd", Map.of("eps", 1.5)), TOKEN), 400)).isEqualTo("params.eps");
    assertThat(field(post("digits", request("pgd", Map.of("epochs", 0)), TOKEN), 400)).isEqualTo("params.epochs");
    assertThat(field(post("digits", request("pgd", Map.of("epochs", 1000)), TOKEN), 400)).isEqualTo("params.epochs");
    assertThat(field(post("digits", request("adamw", Map.of()), TOKEN), 400)).isEqualTo("method");
    assertThat(field(post("digits", request("pgd", Map.of("momentum", 0.9)), TOKEN), 400)).isEqualTo("params.momentum");
    assertThat(post("digits", good, null).status()).isEqualTo(401);
    assertThat(post("digits", good, "wrong").status()).isEqualTo(403);
    assertThat(api().get("/api/v1/fine-tunings").json().get("total").asInt()).isZero();
    assertProblem(api().get("/api/v1/fine-tunings/none"), 404, "fine-tuning-not-found");
  }

  @Test
  @Order(2)
  void pgdFineTuningReachesTheTargetAndIsServedBesideItsParent() throws Exception {
    List<Double> idle = attackLatencies(5);
    HttpApi.Response created = post("digits", request("pgd", Map.of("eps", 0.1, "stepSize", 0.025, "steps", 7,
        "epochs", 5, "learningRate", 1e-4, "validationLimit", 300)), TOKEN);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.json().get("id").asString();
    assertThat(created.header("Location")).isEqualTo("/api/v1/fine-tunings/" + id);
    assertThat(created.json().get("state").asString()).isEqualTo("QUEUED");
    assertProblem(post("digits", request("semantic", Map.of()), TOKEN), 409, "fine-tuning-conflict");
    JsonNode listed = api().get("/api/v1/fine-tunings?model=digits").json();
    assertThat(listed.get("items").get(0).get("id").asString()).isEqualTo(id);
    assertThat(api().get("/api/v1/fine-tunings?model=other").json().get("total").asInt()).isZero();

    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline && api().get("/api/v1/fine-tunings/" + id).json().get("progress")
        .get("batch").asInt() == 0) {
      sleep(500);
    }
    List<Double> training = attackLatencies(5);
    System.out.println("PGD-20 attack latency (ms), idle " + idle + ", while the fine-tuning trains " + training);

    JsonNode done = awaitEnd(id, Duration.ofMinutes(30));
    System.out.println("pgd fine-tuning: " + done);
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("epochs")).hasSize(5);
    assertThat(done.get("result").get("model").asString()).isEqualTo("digits");
    int version = done.get("result").get("version").asInt();
    assertThat(version).isEqualTo(2);
    JsonNode models = api().get("/api/v1/models").json();
    assertThat(TestServer.state(models, "digits", 2)).isEqualTo("READY");
    assertThat(models.get("models").get(0).get("defaultVersion").asInt()).isEqualTo(1);

    Map<String, JsonNode> figures = comparison(done, "pgd");
    System.out.println("pgd fine-tuning, PGD-20 eps 0.1 on the test digits: " + figures);
    assertThat(figures.get("parent").get("robustAccuracy").asDouble()).isLessThan(0.05);
    assertThat(figures.get("child").get("robustAccuracy").asDouble()).isGreaterThanOrEqualTo(0.65);
    assertThat(figures.get("child").get("cleanAccuracy").asDouble()).isGreaterThanOrEqualTo(0.95);

    Path stored = temp.resolve("store").resolve("digits").resolve("2");
    JsonNode metadata = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
        stored.resolve("metadata.json").toFile());
    assertThat(metadata.get("parentVersion").asInt()).isEqualTo(1);
    assertThat(metadata.get("details").get("recipe").get("steps").asInt()).isEqualTo(7);
    assertThat(metadata.get("details").get("dataset").get("digest").asString()).startsWith("sha256:");
    assertThat(metadata.get("details").get("epochs")).hasSize(5);
    assertThat(temp.resolve("store").resolve(FineTuningRunner.CHECKPOINTS).resolve(id)).doesNotExist();
    sameLogitsInPlainPyTorch(stored);
  }

  @Test
  @Order(3)
  void fastAdversarialTrainingReachesItsTargetInTheSameBudget() {
    HttpApi.Response created = post("digits", request("fgsm-rs", Map.of("eps", 0.1, "epochs", 5, "learningRate", 1e-4,
        "validationLimit", 300)), TOKEN);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    JsonNode done = awaitEnd(created.json().get("id").asString(), Duration.ofMinutes(20));
    System.out.println("fgsm-rs fine-tuning: " + done);
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("recipe").get("stepSize").asDouble()).isCloseTo(0.125, offset(1e-9));
    Map<String, JsonNode> figures = comparison(done, "pgd");
    System.out.println("fgsm-rs fine-tuning, PGD-20 eps 0.1 on the test digits: " + figures);
    assertThat(figures.get("child").get("robustAccuracy").asDouble()).isGreaterThanOrEqualTo(0.60);
    assertThat(figures.get("child").get("cleanAccuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  @Order(4)
  void semanticFineTuningLearnsNegativeImages() {
    HttpApi.Response created = post("digits", request("semantic", Map.of("epochs", 3, "learningRate", 1e-4,
        "validationLimit", 300)), TOKEN);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    JsonNode done = awaitEnd(created.json().get("id").asString(), Duration.ofMinutes(20));
    System.out.println("semantic fine-tuning: " + done);
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    Map<String, JsonNode> figures = comparison(done, "semantic");
    System.out.println("semantic fine-tuning, negative test digits: " + figures);
    assertThat(figures.get("parent").get("robustAccuracy").asDouble()).isLessThan(0.5);
    assertThat(figures.get("child").get("robustAccuracy").asDouble()).isGreaterThanOrEqualTo(0.90);
    assertThat(figures.get("child").get("cleanAccuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  @Order(5)
  void aCancelledFineTuningAddsNoVersion() {
    HttpApi.Response created = post("digits", request("clean", Map.of("epochs", 20)), TOKEN);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.json().get("id").asString();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline && api().get("/api/v1/fine-tunings/" + id).json().get("progress")
        .get("batch").asInt() == 0) {
      sleep(500);
    }
    assertThat(delete(id, null).status()).isEqualTo(401);
    HttpApi.Response cancelled = delete(id, TOKEN);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
    assertProblem(delete(id, TOKEN), 409, "fine-tuning-conflict");
    HttpApi.Response events = api().get("/api/v1/fine-tunings/" + id + "/events");
    assertThat(events.status()).isEqualTo(200);
    assertThat(events.body()).as("the final view, then the stream ends").contains("event:fine-tuning")
        .contains("\"state\":\"CANCELLED\"");
    assertThat(api().get("/api/v1/fine-tunings/no-such-id/events").status()).isEqualTo(404);
    Path checkpoints = temp.resolve("store").resolve(FineTuningRunner.CHECKPOINTS).resolve(id);
    deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && Files.exists(checkpoints)) {
      sleep(500);
    }
    assertThat(checkpoints).doesNotExist();
    JsonNode versions = api().get("/api/v1/models").json().get("models").get(0).get("versions");
    for (JsonNode v : versions) {
      assertThat(v.get("version").asInt()).isLessThanOrEqualTo(4);
    }
  }

  /** Milliseconds of {@code n} single PGD-20 attacks on a test digit, each answered 200 (interactive work goes on). */
  private List<Double> attackLatencies(int n) throws IOException {
    Path digit;
    try (Stream<Path> list = Files.list(TestRequirements.digitsTestDir().resolve("3"))) {
      digit = list.sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(digit);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      HttpApi.Response r = api().postImage("/api/v1/attacks", bytes, "digit.png", Map.of("model", "digits:1",
          "method", "pgd", "params", "{\"eps\": 0.1, \"steps\": 20, \"earlyStop\": false}"));
      out.add(Math.round((System.nanoTime() - start) / 1e5) / 10.0);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    return out;
  }

  /** advlab's logits for a few test digits on {@code stored} equal Debian PyTorch's on the same file (1e-4). */
  private void sameLogitsInPlainPyTorch(Path stored) throws Exception {
    String missing = pythonTorchMissing();
    if (missing != null) {
      System.out.println("SKIPPED the plain-PyTorch logits check: " + missing + " (apt-get install -y python3-torch)");
      return;
    }
    List<Path> files = new ArrayList<>();
    for (int digit = 0; digit < 10; digit++) {
      try (Stream<Path> list = Files.list(TestRequirements.digitsTestDir().resolve(Integer.toString(digit)))) {
        files.add(list.sorted().findFirst().orElseThrow());
      }
    }
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "bench/peer/logits.py", stored.toString()));
    files.forEach(f -> command.add(f.toString()));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(process.waitFor()).isZero();
    assertThat(lines).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      String[] python = lines.get(i).trim().split(" ");
      JsonNode answer = api().postImage("/api/v1/classifications?topK=10", Files.readAllBytes(files.get(i)),
          "d.png", Map.of("model", "digits:2")).json();
      for (JsonNode prediction : answer.get("predictions")) {
        double expected = Double.parseDouble(python[prediction.get("index").asInt()]);
        assertThat(prediction.get("logit").asDouble()).as(files.get(i) + " class " + prediction.get("index"))
            .isCloseTo(expected, offset(1e-4));
      }
    }
  }

  private static String pythonTorchMissing() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? null : out;
    } catch (IOException e) {
      return "/usr/bin/python3 not found";
    }
  }

  /** Waits for the child's evaluation to finish; the {@code method} cell of parent and child by role. */
  private Map<String, JsonNode> comparison(JsonNode done, String method) {
    Map<String, JsonNode> out = new HashMap<>();
    for (String role : List.of("parent", "child")) {
      String evaluation = done.get("evaluations").get(role).asString();
      JsonNode view = null;
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      while (System.nanoTime() < deadline) {
        view = api().get("/api/v1/evaluations/" + evaluation).json();
        if (!List.of("QUEUED", "RUNNING").contains(view.get("state").asString())) {
          break;
        }
        sleep(1000);
      }
      assertThat(view.get("state").asString()).as(view.toString()).isEqualTo("SUCCEEDED");
      for (JsonNode cell : view.get("results")) {
        if (cell.get("method").asString().equals(method)) {
          out.put(role, cell);
        }
      }
    }
    JsonNode again = api().get("/api/v1/fine-tunings/" + done.get("id").asString()).json();
    assertThat(again.get("comparison").size()).isEqualTo(4);
    return out;
  }

  private JsonNode awaitEnd(String id, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonNode view = null;
    while (System.nanoTime() < deadline) {
      view = api().get("/api/v1/fine-tunings/" + id).json();
      if (!List.of("QUEUED", "RUNNING").contains(view.get("state").asString())) {
        return view;
      }
      sleep(2000);
    }
    return view;
  }

  private static Map<String, Object> request(String method, Map<String, Object> params) {
    return Map.of("dataset", "train", "validationDataset", "test", "method", method, "params", params, "seed", 1);
  }

  private static Map<String, Object> with(Map<String, Object> request, String key, Object value) {
    Map<String, Object> copy = new HashMap<>(request);
    copy.put(key, value);
    return copy;
  }

  private static HttpApi api() {
    return server.api();
  }

  private static HttpApi.Response post(String model, Map<String, Object> body, String token) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(api().base() + "/api/v1/models/" + model + "/fine-tunings"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(tools.jackson.databind.json.JsonMapper.builder().build()
            .writeValueAsString(body)));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return api().send(r);
  }

  private static HttpApi.Response delete(String id, String token) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(api().base() + "/api/v1/fine-tunings/" + id)).DELETE();
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return api().send(r);
  }

  private static void assertProblem(HttpApi.Response r, int status, String slug) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("type").asString()).endsWith("/" + slug);
  }

  private static String field(HttpApi.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r.json().get("field").asString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
