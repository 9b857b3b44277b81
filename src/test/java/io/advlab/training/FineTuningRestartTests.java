package io.advlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * A service stopped in the middle of a fine-tuning (the job interrupted at once) and started again
 * on the same store and database: JobRunr runs the job again and it resumes after its last
 * finished epoch, whose figures stay as they were, and ends with the new version.
 */
@RequiresSharedModel("digits")
class FineTuningRestartTests {

  private static final String TOKEN = "restart-test-token";

  @TempDir
  Path dir;

  @Test
  void aFineTuningStoppedAfterAnEpochResumesFromItsCheckpoint() {
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    Map<String, Object> properties = new HashMap<>();
    properties.put("advlab.model.url", TestRequirements.sharedModel("digits").toString());
    properties.put("advlab.datasets.dir", TestRequirements.digitsTestDir().getParent().toString());
    properties.put("advlab.store.dir", dir.resolve("store").toString());
    properties.put("advlab.security.admin-token", TOKEN);
    properties.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
    properties.put("jobrunr.background-job-server.poll-interval-in-seconds", "5");
    Map<String, Object> stopping = new HashMap<>(properties);
    stopping.put("jobrunr.background-job-server.interrupt-jobs-await-duration-on-stop", "1ms");

    String location;
    JsonNode stopped;
    try (TestServer first = new TestServer(stopping)) {
      digitsReady(first.api());
      HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(first.api().base()
              + "/api/v1/models/digits/fine-tunings"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"dataset\": \"train\", \"validationDataset\": \"test\","
              + " \"method\": \"semantic\", \"seed\": 2, \"params\": {\"epochs\": 3, \"validationLimit\": 100}}"));
      HttpApi.Response started = first.api().send(post);
      assertThat(started.status()).as(started.body()).isEqualTo(202);
      location = started.header("Location");
      stopped = await(first.api(), location, v -> v.get("epochs").size() >= 1, Duration.ofMinutes(10));
    }
    assertThat(stopped.get("state").asString()).as(stopped.toString()).isEqualTo("RUNNING");
    assertThat(stopped.get("epochs").size()).isBetween(1, 2);

    try (TestServer second = new TestServer(properties)) {
      digitsReady(second.api());
      JsonNode done = await(second.api(), location, v -> false, Duration.ofMinutes(10));
      System.out.println("restarted fine-tuning: " + done);
      assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(done.get("note").asString()).startsWith("resumed after epoch");
      assertThat(done.get("epochs")).hasSize(3);
      assertThat(done.get("epochs").get(0)).isEqualTo(stopped.get("epochs").get(0));
      assertThat(done.get("result").get("version").asInt()).isEqualTo(2);
      assertThat(TestServer.state(second.api().get("/api/v1/models").json(), "digits", 2)).isEqualTo("READY");
    }
  }

  private static void digitsReady(HttpApi api) {
    TestServer.awaitModels(api, models -> "READY".equals(TestServer.state(models, "digits", 1)),
        Duration.ofMinutes(2));
  }

  private static JsonNode await(HttpApi api, String location, Predicate<JsonNode> done, Duration limit) {
    long until = System.nanoTime() + limit.toNanos();
    JsonNode view = null;
    while (System.nanoTime() < until) {
      HttpApi.Response r = api.get(location);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      view = r.json();
      if (done.test(view) || !List.of("QUEUED", "RUNNING").contains(view.get("state").asString())) {
        return view;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the fine-tuning did not get there within " + limit + ": " + view);
  }
}
