package io.advlab.classify;

import static io.advlab.classify.BadInputTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.ImageServer;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestImages;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every shared photo (JPEG, PNG, RGBA, grayscale) classifies over HTTP with the untrained
 * ImageNet-shaped ResNet18; labels are noise, so only the shape of the answer is checked. This
 * context has no URL allow-list, as a default deployment: loopback URLs are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RequiresSharedModel("resnet18-untrained")
class PhotoClassificationTests {

  private static final String PATH = "/api/v1/classifications";

  @LocalServerPort
  int port;

  @org.junit.jupiter.api.BeforeEach
  void resnetReady() {
    io.advlab.support.TestServer.awaitModels(new HttpApi("http://127.0.0.1:" + port),
        models -> "READY".equals(io.advlab.support.TestServer.state(models, "resnet18-untrained", 1)),
        java.time.Duration.ofMinutes(2));
  }

  @DynamicPropertySource
  static void untrainedResnet(DynamicPropertyRegistry registry) {
    registry.add("advlab.model.url", () -> TestRequirements.sharedModel("resnet18-untrained").toString());
  }

  @Test
  void everySharedPhotoClassifies() throws IOException {
    Path photos = TestRequirements.assumeSharedImages(TestRequirements.photosDir());
    List<Path> files;
    try (Stream<Path> list = Files.list(photos)) {
      files = list.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(15);
    HttpApi api = new HttpApi("http://127.0.0.1:" + port);
    for (Path file : files) {
      HttpApi.Response response = api.postImage(PATH, Files.readAllBytes(file), file.getFileName().toString());
      assertThat(response.status()).as(file + ": " + response.body()).isEqualTo(200);
      JsonNode predictions = response.json().get("predictions");
      assertThat(predictions).as(file.toString()).hasSize(5);
      double sum = 0;
      double previous = Double.POSITIVE_INFINITY;
      for (JsonNode prediction : predictions) {
        double p = prediction.get("probability").asDouble();
        assertThat(p).as(file.toString()).isFinite().isBetween(0.0, 1.0).isLessThanOrEqualTo(previous);
        assertThat(prediction.get("label").asString()).isNotBlank();
        previous = p;
        sum += p;
      }
      assertThat(sum).as(file.toString()).isLessThanOrEqualTo(1.0 + 1e-9);
    }
  }

  @Test
  void loopbackUrlsAreRefusedWithoutAnAllowList() {
    HttpApi api = new HttpApi("http://127.0.0.1:" + port);
    try (ImageServer images = new ImageServer(TestImages.encode(TestImages.quadrants(40, 20), "png"))) {
      assertProblem(api.postJson(PATH, Map.of("url", images.url("/image.png"))), 400, "url-not-allowed", "url");
      assertProblem(api.postJson(PATH, Map.of("url", images.localhostUrl("/image.png"))), 400, "url-not-allowed", "url");
      assertProblem(api.postImage(PATH, null, null, Map.of("url", images.url("/image.png"))), 400, "url-not-allowed", "url");
    }
  }
}
