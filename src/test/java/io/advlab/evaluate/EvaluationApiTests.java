package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Evaluations through real HTTP on the digits model and the 1000 held-out digits: the FGSM and
 * PGD-20 sweep reproduces METRICS.md, the same request and seed give the same figures, CSV, cancel,
 * and bad requests are 4xx problems with nothing stored.
 */
class EvaluationApiTests extends DigitsServerTest {

  private static final String PATH = "/api/v1/evaluations";

  @DynamicPropertySource
  static void datasets(DynamicPropertyRegistry registry) {
    registry.add("advlab.datasets.dir", () -> TestRequirements.sharedDir().resolve("images").resolve("digits").toString());
    registry.add("jobrunr.background-job-server.poll-interval-in-seconds", () -> "5");
  }

  /** METRICS.md (PyTorch on the same file): accuracy under FGSM and PGD-20 (step eps/4, random start). */
  private static final Map<String, Double> REFERENCE = Map.of(
      "fgsm 0.1", 0.382, "fgsm 0.2", 0.100, "fgsm 0.3", 0.077,
      "pgd 0.1", 0.011, "pgd 0.2", 0.000, "pgd 0.3", 0.000);

  @Test
  void theFgsmAndPgdSweepOnAllTestDigitsReproducesTheReference() {
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    JsonNode done = runToEnd(Map.of("model", "digits", "dataset", "test", "seed", 1,
        "attacks", List.of(Map.of("method", "fgsm", "eps", List.of(0.1, 0.2, 0.3)),
            Map.of("method", "pgd", "params", Map.of("steps", 20), "eps", List.of(0.1, 0.2, 0.3)))));
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("model").asString()).isEqualTo("digits:1");
    assertThat(done.get("datasetDigest").asString()).startsWith("sha256:");
    assertThat(done.get("progress").get("imagesDone").asInt()).isEqualTo(6000);
    StringBuilder table = new StringBuilder();
    for (JsonNode cell : done.get("results")) {
      String key = cell.get("method").asString() + " " + cell.get("eps").asDouble();
      assertThat(cell.get("images").asInt()).isEqualTo(1000);
      assertThat(cell.get("cleanAccuracy").asDouble()).isCloseTo(0.977, org.assertj.core.data.Offset.offset(1e-9));
      table.append(key).append(": ").append(cell.get("robustAccuracy").asDouble()).append(" (METRICS.md ")
          .append(REFERENCE.get(key)).append(")\n");
      assertThat(cell.get("robustAccuracy").asDouble()).as(key)
          .isCloseTo(REFERENCE.get(key), org.assertj.core.data.Offset.offset(0.015));
      assertThat(cell.get("medianLinf").asDouble()).as(key).isLessThanOrEqualTo(cell.get("eps").asDouble() + 1e-6);
    }
    System.out.println(table);
    HttpApi.Response chart = api().get(PATH + "/" + done.get("id").asString() + "/chart.svg");
    assertThat(chart.status()).isEqualTo(200);
    assertThat(chart.contentType()).startsWith("image/svg+xml");
    assertThat(chart.body()).contains("<svg").contains("fgsm").contains("pgd");
    assertThat(chart.body().split("<polyline", -1)).hasSize(3);
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "evaluation-chart.svg"), chart.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    JsonNode worst = api().get(PATH + "/" + done.get("id").asString() + "/results/3/worst-case").json();
    assertThat(worst.get("image").asString()).matches("[0-9]/.+\\.png");
    assertThat(worst.get("adversarial").asInt()).isNotEqualTo(worst.get("label").asInt());
    assertThat(worst.get("l2").asDouble()).isPositive().isLessThanOrEqualTo(done.get("results").get(3).get("medianL2")
        .asDouble());
    assertThat(java.util.Base64.getDecoder().decode(worst.get("adversarialImage").asString())).startsWith(0x89, 'P', 'N', 'G');
    assertThat(api().get(PATH + "/" + done.get("id").asString() + "/results/9/worst-case").status()).isEqualTo(404);
    HttpApi.Response csv = api().get(PATH + "/" + done.get("id").asString() + "/results.csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body().lines()).hasSize(7).first().asString().startsWith("method,eps,images");
  }

  @Test
  void theSameRequestAndSeedGiveTheSameFigures() {
    Map<String, Object> request = Map.of("model", "digits:1", "dataset", "test", "seed", 7, "limit", 60,
        "shardSize", 16, "attacks", List.of(Map.of("method", "pgd", "params", Map.of("steps", 5), "eps", List.of(0.05))));
    JsonNode first = runToEnd(request);
    JsonNode second = runToEnd(request);
    assertThat(first.get("results").get(0).get("images").asInt()).isEqualTo(60);
    assertThat(first.get("progress").get("shardsTotal").asInt()).isEqualTo(4);
    assertThat(without(first.get("results"))).isEqualTo(without(second.get("results")));
    assertThat(first.get("request")).isEqualTo(second.get("request"));
  }

  /** Server-sent events: the view at once, again whenever it changes, the final state last; then the stream ends. */
  @Test
  void eventsFollowAnEvaluationToItsEnd() {
    HttpApi.Response started = api().postJson(PATH, Map.of("model", "digits", "dataset", "test", "limit", 40,
        "shardSize", 5, "attacks", List.of(Map.of("method", "pgd", "params", Map.of("steps", 10), "eps", List.of(0.1)))));
    assertThat(started.status()).isEqualTo(202);
    HttpApi.Response events = api().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(api().base() + started.header("Location") + "/events"))
        .header("Accept", "text/event-stream").GET());
    assertThat(events.status()).isEqualTo(200);
    assertThat(events.contentType()).startsWith("text/event-stream");
    List<String> data = events.body().lines().filter(l -> l.startsWith("data:")).toList();
    assertThat(events.body()).contains("event:evaluation");
    assertThat(data.size()).as("events while it ran").isGreaterThan(1);
    assertThat(data.get(data.size() - 1)).contains("\"state\":\"SUCCEEDED\"");
    assertThat(api().get(PATH + "/no-such-id/events").status()).isEqualTo(404);
  }

  /** The vanilla transfer attack judged through the defence leaves far more digits right than undefended. */
  @Test
  void anEvaluationThroughTheRandomizationDefence() {
    Map<String, Object> attacks = Map.of("method", "pgd", "params", Map.of("steps", 10), "eps", List.of(0.1));
    JsonNode plain = runToEnd(Map.of("model", "digits", "dataset", "test", "limit", 60, "attacks", List.of(attacks)));
    JsonNode defended = runToEnd(Map.of("model", "digits", "dataset", "test", "limit", 60, "attacks", List.of(attacks),
        "defence", Map.of("type", "randomization", "draws", 10)));
    assertThat(defended.get("state").asString()).as(defended.toString()).isEqualTo("SUCCEEDED");
    assertThat(defended.get("request").get("defence").get("type").asString()).isEqualTo("randomization");
    double undefended = plain.get("results").get(0).get("robustAccuracy").asDouble();
    double through = defended.get("results").get(0).get("robustAccuracy").asDouble();
    assertThat(through).as("robust accuracy through the defence vs undefended " + undefended)
        .isGreaterThan(undefended + 0.2);
  }

  @Test
  void aCancelledEvaluationStaysCancelled() throws InterruptedException {
    HttpApi.Response started = api().postJson(PATH, Map.of("dataset", "test", "model", "digits", "shardSize", 10,
        "attacks", List.of(Map.of("method", "pgd", "params", Map.of("steps", 200, "earlyStop", false),
            "eps", List.of(0.1)))));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String id = started.json().get("id").asString();
    HttpApi.Response cancelled = api().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(api().base() + PATH + "/" + id)).DELETE());
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
    Thread.sleep(2000);
    assertThat(api().get(PATH + "/" + id).json().get("state").asString()).isEqualTo("CANCELLED");
    HttpApi.Response again = api().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(api().base() + PATH + "/" + id)).DELETE());
    assertThat(again.status()).isEqualTo(409);
    JsonNode page = api().get(PATH + "?page=0&size=5").json();
    assertThat(page.get("items").toString()).contains(id);
  }

  @Test
  void badRequestsAreProblemsAndStoreNothing() {
    long before = api().get(PATH + "?size=1").json().get("total").asLong();
    Map<String, Object> fgsm = Map.of("method", "fgsm", "eps", List.of(0.1));
    assertProblem(Map.of("dataset", "test", "model", "cifar", "attacks", List.of(fgsm)), 404, "model");
    assertProblem(Map.of("dataset", "nope", "attacks", List.of(fgsm)), 404, null);
    assertProblem(Map.of("model", "digits", "attacks", List.of(fgsm)), 400, "dataset");
    assertProblem(Map.of("model", "digits", "dataset", "test", "attacks", List.of()), 400, "attacks");
    assertProblem(Map.of("model", "digits", "dataset", "test", "attacks",
        List.of(Map.of("method", "fgsm", "eps", List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.96, 0.97,
            0.98)))), 400, "attacks[0].eps");
    assertProblem(Map.of("model", "digits", "dataset", "test", "attacks",
        List.of(Map.of("method", "fgsm", "eps", List.of(5.0)))), 400, "attacks[0].params.eps");
    assertProblem(Map.of("model", "digits", "dataset", "test", "attacks",
        List.of(fgsm, Map.of("method", "semantic", "eps", List.of(0.1)))), 400, "attacks[1].eps");
    assertProblem(Map.of("model", "digits", "dataset", "test", "attacks", List.of(Map.of("method", "blur"))), 400,
        "attacks[0].method");
    assertProblem(Map.of("model", "digits", "dataset", "test", "shardSize", 0, "attacks", List.of(fgsm)), 400,
        "shardSize");
    assertProblem(Map.of("model", "digits", "dataset", "test", "limit", 0, "attacks", List.of(fgsm)), 400, "limit");
    assertProblem(Map.of("model", "digits", "dataset", "test", "defence", Map.of("type", "randomization",
        "draws", 0), "attacks", List.of(fgsm)), 400, "defence.draws");
    assertProblem(Map.of("model", "digits", "dataset", "test", "attacks",
        List.of(Map.of("method", "pgd", "params", Map.of("eot", 4), "eps", List.of(0.1)))), 400, "attacks[0].params.eot");
    assertThat(api().get(PATH + "?size=1").json().get("total").asLong()).as("nothing stored").isEqualTo(before);
    assertThat(api().get(PATH + "/no-such-id").status()).isEqualTo(404);
  }

  private void assertProblem(Map<String, Object> body, int status, String field) {
    HttpApi.Response r = api().postJson(PATH, body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    if (field != null) {
      assertThat(r.json().get("field").asString()).as(r.body()).isEqualTo(field);
    }
  }

  private JsonNode runToEnd(Map<String, Object> request) {
    HttpApi.Response started = api().postJson(PATH, request);
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    assertThat(started.header("Location")).startsWith(PATH + "/");
    String location = started.header("Location");
    long until = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    JsonNode view = null;
    while (System.nanoTime() < until) {
      view = api().get(location).json();
      String state = view.get("state").asString();
      if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
        return view;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("evaluation did not finish: " + view);
  }

  /** The figures without the timing, which varies between runs. */
  private static String without(JsonNode results) {
    StringBuilder out = new StringBuilder();
    for (JsonNode cell : results) {
      var copy = (tools.jackson.databind.node.ObjectNode) cell.deepCopy();
      copy.remove("seconds");
      out.append(copy).append('\n');
    }
    return out.toString();
  }
}
