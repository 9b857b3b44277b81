package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;

/**
 * The shipped image, for real: builds it from the root {@code Dockerfile} (the jar that
 * {@code package} produced, on the JRE base image given by {@code ADVLAB_BASE_IMAGE}), starts it
 * with {@code ../shared/models/digits} mounted read-only, waits for the readiness group, then
 * classifies and attacks a handwritten digit over HTTP. Runs in {@code verify} (failsafe);
 * skips when no Docker engine answers or the shared model is absent.
 */
class ContainerIT {

  private static final Logger log = LoggerFactory.getLogger(ContainerIT.class);
  private static final String DEFAULT_BASE_IMAGE = "advlab/jre-base:17";

  private static GenericContainer<?> container;
  private static HttpApi api;
  private static final String ADMIN_TOKEN = "container-it-admin-token";

  @BeforeAll
  static void start() {
    Path model = TestRequirements.assumeSharedModel("digits");
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    TestRequirements.assumeDocker();
    Path jar = Path.of("target", "advlab.jar").toAbsolutePath();
    TestRequirements.assumeAvailable(Files.isRegularFile(jar), jar + " is absent (run ./mvnw package first)");

    String base = baseImage();
    log.info("Building the image from Dockerfile on BASE_IMAGE={}", base);
    long t0 = System.nanoTime();
    // The context is named file by file (what .dockerignore lets through): withDockerfile(Path)
    // would pre-pull every FROM line, stage names included, from Docker Hub.
    ImageFromDockerfile image = new ImageFromDockerfile("advlab-it:latest", false)
        .withFileFromPath("Dockerfile", Path.of("Dockerfile").toAbsolutePath())
        .withFileFromPath("target/advlab.jar", jar)
        .withFileFromPath("docker", Path.of("docker").toAbsolutePath())
        .withBuildArg("BASE_IMAGE", base)
        .withTarget("runtime");
    String imageId = image.get();
    long t1 = System.nanoTime();
    log.info("Image {} built in {} s", imageId, String.format("%.1f", (t1 - t0) / 1e9));

    container = new GenericContainer<>(image)
        .withExposedPorts(8080)
        // A plain bind through the create command: withFileSystemBind would first probe
        // mounting with an alpine container, which cannot be pulled without Docker Hub.
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withBinds(new Bind(model.toString(), new Volume("/models/digits"), AccessMode.ro)))
        .withEnv("ADVLAB_MODEL_URL", "/models/digits")
        .withEnv("ADVLAB_ADMIN_TOKEN", ADMIN_TOKEN)
        .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("advlab-container")).withSeparateOutputStreams())
        .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(3)));
    container.start();
    long t2 = System.nanoTime();
    log.info("Container {} ready in {} s (image build {} s)", container.getContainerId().substring(0, 12),
        String.format("%.1f", (t2 - t1) / 1e9), String.format("%.1f", (t1 - t0) / 1e9));
    api = new HttpApi("http://" + container.getHost() + ":" + container.getMappedPort(8080));
  }

  @AfterAll
  static void stop() {
    if (container != null) {
      container.stop();
    }
  }

  /** Probes see the status; an operator with the admin token sees the mounted model's state. */
  @Test
  void readinessReportsTheMountedModel() {
    HttpApi.Response anonymous = api.get("/actuator/health/readiness");
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.json().path("status").asString()).isEqualTo("UP");
    assertThat(anonymous.json().has("components")).isFalse();

    HttpApi.Response operator = api.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(api.base() + "/actuator/health/readiness"))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
    JsonNode models = operator.json().path("components").path("models");
    assertThat(models.path("status").asString()).isEqualTo("UP");
    JsonNode digits = models.path("details").path("versions").path("digits:1");
    assertThat(digits.path("state").asString()).isEqualTo("READY");
    assertThat(digits.path("device").asString()).startsWith("cpu");
  }

  @Test
  void runsAsTheNonRootUserWithTheNativesBakedIn() throws Exception {
    var whoami = container.execInContainer("id", "-u");
    assertThat(whoami.getStdout().trim()).isEqualTo("10001");
    assertThat(container.getLogs()).doesNotContain("Extracting").doesNotContain("Downloading");
  }

  @Test
  void classifiesADigitOverHttp() throws IOException {
    byte[] seven = digit(7);

    HttpApi.Response response = api.postImage("/api/v1/classifications", seven, "seven.png");

    log.info("POST /api/v1/classifications -> {} {}", response.status(), response.body());
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("predictions").path(0).path("label").asString()).isEqualTo("7");
  }

  @Test
  void attacksADigitOverHttp() throws IOException {
    String seven = Base64.getEncoder().encodeToString(digit(7));

    HttpApi.Response response = api.postJson("/api/v1/attacks",
        Map.of("imageBase64", seven, "method", "fgsm", "params", Map.of("eps", 0.3)));

    log.info("POST /api/v1/attacks -> {} {}", response.status(), abbreviate(response.body()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
  }

  static byte[] digit(int label) throws IOException {
    Path dir = TestRequirements.digitsTestDir().resolve(Integer.toString(label));
    try (var files = Files.list(dir)) {
      Path first = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
      return Files.readAllBytes(first);
    }
  }

  static String baseImage() {
    String fromEnv = System.getenv("ADVLAB_BASE_IMAGE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return System.getProperty("advlab.base.image", DEFAULT_BASE_IMAGE);
  }

  private static String abbreviate(String body) {
    return body.length() <= 400 ? body : body.substring(0, 400) + "...";
  }
}
