package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A service stopped in the middle of an evaluation (its shards in flight never finish) and started
 * again on the same H2 file database: JobRunr takes the orphaned shards up again, and the job ends
 * with every image counted once and the same figures as a run that was never interrupted.
 */
@RequiresSharedModel("digits")
class EvaluationRestartTests {

  private static final String PATH = "/api/v1/evaluations";
  /** 20 shards of 10 images, each a PGD-60 without early stop: long enough to stop it half way. */
  private static final Map<String, Object> REQUEST = Map.of("model", "digits", "dataset", "test", "seed", 3,
      "limit", 200, "shardSize", 10,
      "attacks", List.of(Map.of("method", "pgd", "params", Map.of("steps", 60, "earlyStop", false),
          "eps", List.of(0.1))));

  @TempDir
  Path dir;

  @Test
  void anEvaluationStoppedHalfWayFinishesAfterARestartWithEveryImageCountedOnce() {
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    Map<String, Object> properties = properties("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");

    String location;
    JsonNode stopped;
    long t0 = System.nanoTime();
    Map<String, Object> killed = new HashMap<>(properties);
    // Stopping waits for nothing: the shards in flight are interrupted and never finish here.
    killed.put("jobrunr.background-job-server.interrupt-jobs-await-duration-on-stop", "1ms");
    try (TestServer first = new TestServer(killed)) {
      digitsReady(first.api());
      HttpApi.Response started = first.api().postJson(PATH, REQUEST);
      assertThat(started.status()).as(started.body()).isEqualTo(202);
      location = started.header("Location");
      stopped = await(first.api(), location, view -> shardsDone(view) >= 3, Duration.ofMinutes(5));
    }
    long t1 = System.nanoTime();
    int total = stopped.get("progress").get("shardsTotal").asInt();
    assertThat(shardsDone(stopped)).as("stopped half way: " + stopped.get("progress")).isLessThan(total);

    JsonNode resumed;
    try (TestServer second = new TestServer(properties)) {
      digitsReady(second.api());
      JsonNode afterRestart = second.api().get(location).json();
      assertThat(shardsDone(afterRestart)).as("nothing lost").isGreaterThanOrEqualTo(shardsDone(stopped));
      resumed = await(second.api(), location, EvaluationRestartTests::ended, Duration.ofMinutes(10));
    }
    long t2 = System.nanoTime();

    assertThat(resumed.get("state").asString()).as(resumed.toString()).isEqualTo("SUCCEEDED");
    JsonNode progress = resumed.get("progress");
    assertThat(progress.get("imagesDone").asInt()).isEqualTo(progress.get("imagesTotal").asInt()).isEqualTo(200);
    assertThat(progress.get("shardsDone").asInt()).isEqualTo(total).isEqualTo(20);
    assertThat(resumed.get("results").get(0).get("images").asInt()).isEqualTo(200);
    long byWorkers = 0;
    for (JsonNode n : progress.get("shardsByWorker")) {
      byWorkers += n.asLong();
    }
    assertThat(byWorkers).as("every shard done once: " + progress).isEqualTo(total);

    JsonNode fresh;
    try (TestServer uninterrupted = new TestServer(properties("jdbc:h2:file:" + dir.resolve("fresh")))) {
      digitsReady(uninterrupted.api());
      HttpApi.Response started = uninterrupted.api().postJson(PATH, REQUEST);
      fresh = await(uninterrupted.api(), started.header("Location"), EvaluationRestartTests::ended,
          Duration.ofMinutes(10));
    }
    assertThat(fresh.get("state").asString()).isEqualTo("SUCCEEDED");
    assertSameFigures(resumed, fresh);
    System.out.printf("restart: stopped after %.1f s with %d of %d shards done; resumed and finished in %.1f s;"
        + " shards by worker %s%n", (t1 - t0) / 1e9, shardsDone(stopped), total, (t2 - t1) / 1e9,
        progress.get("shardsByWorker"));
  }

  private static Map<String, Object> properties(String databaseUrl) {
    Map<String, Object> p = new HashMap<>();
    p.put("advlab.model.url", TestRequirements.sharedModel("digits").toString());
    p.put("advlab.datasets.dir", TestRequirements.digitsTestDir().getParent().toString());
    p.put("spring.datasource.url", databaseUrl);
    p.put("jobrunr.background-job-server.worker-count", "2");
    return p;
  }

  private static void digitsReady(HttpApi api) {
    TestServer.awaitModels(api, models -> "READY".equals(TestServer.state(models, "digits", 1)),
        Duration.ofMinutes(2));
  }

  private static int shardsDone(JsonNode view) {
    return view.get("progress").get("shardsDone").asInt();
  }

  private static boolean ended(JsonNode view) {
    String state = view.get("state").asString();
    return !state.equals("QUEUED") && !state.equals("RUNNING");
  }

  private static JsonNode await(HttpApi api, String location, Predicate<JsonNode> done, Duration limit) {
    long until = System.nanoTime() + limit.toNanos();
    JsonNode view = null;
    while (System.nanoTime() < until) {
      view = api.get(location).json();
      if (done.test(view) || ended(view)) {
        return view;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("evaluation did not get there within " + limit + ": " + view);
  }

  /** The figures without the timing, which varies between runs. */
  /**
   * Every count and accuracy equal; the perturbation norms equal to 0.002 (a thousandth of their
   * size). The resumed half of the evaluation ran its images in other gradient batches than the
   * uninterrupted one, and a batch's composition moves the float rounding of a row's gradient by
   * about 1e-7; now and then that tips one component across the sign step's dead band in a late
   * step and moves one image's L2 by a few hundredths (seen: mean L2 3.7691 or 3.7692 against
   * 3.7693, in runs under load, before and after the one torch thread). The same request on
   * one server gives identical figures: EvaluationApiTests.
   */
  private static void assertSameFigures(JsonNode resumed, JsonNode fresh) {
    List<String> norms = List.of("medianL2", "meanL2", "medianLinf", "meanLinf");
    assertThat(resumed.get("results").size()).isEqualTo(fresh.get("results").size());
    for (int c = 0; c < fresh.get("results").size(); c++) {
      JsonNode a = resumed.get("results").get(c);
      JsonNode b = fresh.get("results").get(c);
      for (String field : b.propertyNames()) {
        if (field.equals("seconds")) {
          continue;
        }
        if (norms.contains(field)) {
          assertThat(a.get(field).asDouble()).as(field + " of cell " + c).isCloseTo(b.get(field).asDouble(),
              org.assertj.core.data.Offset.offset(0.002));
        } else {
          assertThat(a.get(field)).as(field + " of cell " + c + ": " + figures(resumed) + " vs " + figures(fresh))
              .isEqualTo(b.get(field));
        }
      }
    }
  }

  private static String figures(JsonNode view) {
    StringBuilder out = new StringBuilder();
    for (JsonNode cell : view.get("results")) {
      var copy = (tools.jackson.databind.node.ObjectNode) cell.deepCopy();
      copy.remove("seconds");
      out.append(copy).append('\n');
    }
    return out.toString();
  }
}
