package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.cuda.CudaUtils;
import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a Prometheus scrape and a Kubernetes readiness probe see, over real HTTP. */
class PrometheusEndpointTests extends DigitsServerTest {

  @Test
  void scrapeShowsInferenceQueueWorkerAndGpuMeters() throws IOException {
    classifyOneDigit();

    HttpApi.Response response = api().get("/actuator/prometheus");

    assertThat(response.status()).isEqualTo(200);
    String scrape = response.body();
    assertThat(scrape)
        .contains("gpu_devices{application=\"advlab\"} " + (double) CudaUtils.getGpuCount())
        .containsPattern("advlab_inference_seconds_count\\{[^}]*model=\"digits\"[^}]*version=\"1\"[^}]*\\} [1-9]")
        .containsPattern("advlab_inference_seconds_bucket\\{[^}]*le=")
        .containsPattern("advlab_inference_batch_size_count\\{[^}]*\\} [1-9]")
        .contains("advlab_inference_queue_waiting{")
        .contains("advlab_inference_workers_busy{")
        .containsPattern("advlab_inference_workers\\{[^}]*\\} [1-9]");
    if (CudaUtils.getGpuCount() > 0) {
      assertThat(scrape).contains("gpu_memory_used_bytes{").contains("gpu_memory_max_bytes{");
    } else {
      assertThat(scrape).doesNotContain("gpu_memory_used_bytes{");
    }
  }

  /** Probes need the status only; the models' states and reasons are for operators (ModelRegistryApiTests). */
  @Test
  void readinessShowsAnonymousCallersTheStatusOnly() {
    HttpApi.Response response = api().get("/actuator/health/readiness");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("status").asString()).isEqualTo("UP");
    assertThat(response.json().has("components")).isFalse();
    assertThat(response.body()).doesNotContain("digits");
  }

  @Test
  void livenessIsUpAndChecksNothingExternal() {
    HttpApi.Response response = api().get("/actuator/health/liveness");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("status").asString()).isEqualTo("UP");
    assertThat(response.json().path("components").has("model")).isFalse();
  }

  private void classifyOneDigit() throws IOException {
    Path dir = TestRequirements.digitsTestDir().resolve("3");
    TestRequirements.assumeSharedImages(dir);
    try (var files = Files.list(dir)) {
      byte[] png = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
      assertThat(api().postImage("/api/v1/classifications", png, "three.png").status()).isEqualTo(200);
    }
  }
}
