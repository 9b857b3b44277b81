package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The two ways to bake a model into the image, for real: the {@code with-model} target copies a
 * local folder, the {@code with-fetched-model} target downloads one at build time (here a zip of
 * {@code ../shared/models/digits} from a local HTTP server standing in for the DJL zoo; the build
 * shares the host's network). Each image starts with no volume and serves the model it carries.
 * Skips like {@link ContainerIT}.
 */
class BakedModelIT {

  private static final Logger log = LoggerFactory.getLogger(BakedModelIT.class);

  private static Path digits;
  private static Path jar;

  @BeforeAll
  static void requirements() {
    digits = TestRequirements.assumeSharedModel("digits");
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    TestRequirements.assumeDocker();
    jar = Path.of("target", "advlab.jar").toAbsolutePath();
    TestRequirements.assumeAvailable(Files.isRegularFile(jar), jar + " is absent (run ./mvnw package first)");
  }

  @Test
  void localFolderBakedInIsServedWithoutAVolume() throws IOException {
    ImageFromDockerfile image = context("advlab-it-with-model:latest")
        .withFileFromPath("target/model", digits)
        .withBuildArg("MODEL_DIR", "target/model")
        .withTarget("with-model");

    servesTheDigitsModel(image);
  }

  @Test
  void modelFetchedAtBuildTimeIsServedWithoutAVolume() throws IOException {
    byte[] zip = zip(digits, List.of("digits.pt", "synset.txt", "serving.properties"));
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
    server.createContext("/models/digits.zip", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "application/zip");
      exchange.sendResponseHeaders(200, zip.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(zip);
      }
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/digits.zip";
      ImageFromDockerfile image = context("advlab-it-fetched-model:latest")
          .withBuildArg("MODEL_URL", url)
          .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"))
          .withTarget("with-fetched-model");

      servesTheDigitsModel(image);
    } finally {
      server.stop(0);
    }
  }

  private static ImageFromDockerfile context(String name) {
    return new ImageFromDockerfile(name, false)
        .withFileFromPath("Dockerfile", Path.of("Dockerfile").toAbsolutePath())
        .withFileFromPath("target/advlab.jar", jar)
        .withFileFromPath("docker", Path.of("docker").toAbsolutePath())
        .withBuildArg("BASE_IMAGE", ContainerIT.baseImage());
  }

  private static void servesTheDigitsModel(ImageFromDockerfile image) throws IOException {
    long start = System.nanoTime();
    String id = image.get();
    log.info("Image {} built in {} s", id, String.format("%.1f", (System.nanoTime() - start) / 1e9));
    try (GenericContainer<?> container = new GenericContainer<>(image)
        .withExposedPorts(8080)
        .waitingFor(Wait.forHttp("/actuator/health/readiness").forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(3)))) {
      container.start();
      HttpApi api = new HttpApi("http://" + container.getHost() + ":" + container.getMappedPort(8080));

      HttpApi.Response model = api.get("/api/v1/model");
      log.info("GET /api/v1/model -> {} {}", model.status(), model.body());
      assertThat(model.json().path("name").asString()).isEqualTo("digits");
      assertThat(model.json().path("source").asString()).isEqualTo("/models/baked");

      HttpApi.Response classified = api.postImage("/api/v1/classifications", ContainerIT.digit(7), "seven.png");
      assertThat(classified.status()).isEqualTo(200);
      assertThat(classified.json().path("predictions").path(0).path("label").asString()).isEqualTo("7");
    }
  }

  private static byte[] zip(Path dir, List<String> names) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name : names) {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(dir.resolve(name), zip);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
