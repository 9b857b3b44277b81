package io.advlab.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The classification, model and label endpoints over real HTTP on the digits model. */
class ClassificationApiTests extends DigitsServerTest {

  private byte[] seven;

  @BeforeEach
  void loadDigit() throws Exception {
    Path dir = TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir().resolve("7"));
    try (var files = Files.list(dir)) {
      seven = Files.readAllBytes(files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow());
    }
  }

  @Test
  void uploadReturnsSortedPredictionsWithLabelsLogitsAndTimings() {
    HttpApi.Response response = api().postImage("/api/v1/classifications", seven, "seven.png", Map.of("topK", "10"));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("model").get("name").asString()).isEqualTo("digits");
    JsonNode predictions = body.get("predictions");
    assertThat(predictions).hasSize(10);
    assertThat(predictions.get(0).get("index").asInt()).isEqualTo(7);
    assertThat(predictions.get(0).get("label").asString()).isEqualTo("7");
    double sum = 0;
    double previous = 1.0;
    for (JsonNode p : predictions) {
      double probability = p.get("probability").asDouble();
      assertThat(probability).isLessThanOrEqualTo(previous);
      assertThat(p.get("logit").isNumber()).isTrue();
      previous = probability;
      sum += probability;
    }
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(body.get("timingsMs").get("total").asDouble()).isPositive();
  }

  @Test
  void jsonBase64AndDataUriGiveTheSameAnswerAsAnUpload() {
    JsonNode upload = api().postImage("/api/v1/classifications", seven, "seven.png").json();
    String b64 = Base64.getEncoder().encodeToString(seven);

    HttpApi.Response plain = api().postJson("/api/v1/classifications", Map.of("imageBase64", b64, "topK", 3));
    HttpApi.Response dataUri = api().postJson("/api/v1/classifications",
        Map.of("imageBase64", "data:image/png;base64," + b64));

    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.json().get("predictions")).hasSize(3);
    assertThat(dataUri.json().get("predictions")).hasSize(ClassificationController.DEFAULT_TOP_K);
    for (HttpApi.Response r : new HttpApi.Response[] {plain, dataUri}) {
      assertThat(r.json().get("predictions").get(0).get("probability").asDouble())
          .isEqualTo(upload.get("predictions").get(0).get("probability").asDouble());
    }
  }

  @Test
  void modelDescribesTheServedNetwork() {
    JsonNode model = api().get("/api/v1/model").json();

    assertThat(model.get("name").asString()).isEqualTo("digits");
    assertThat(model.get("classes").asInt()).isEqualTo(10);
    assertThat(model.get("parameterCount").asLong()).isEqualTo(591274L);
    assertThat(model.get("inputShape").toString()).isEqualTo("[1,3,32,32]");
    assertThat(model.get("device").asString()).isNotBlank();
  }

  @Test
  void labelsArePagedAndAddressable() {
    JsonNode page = api().get("/api/v1/labels?offset=2&limit=3").json();
    assertThat(page.get("labels")).hasSize(3);
    assertThat(page.get("total").asInt()).isEqualTo(10);

    HttpApi.Response one = api().get("/api/v1/labels/9");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).contains("9");

    HttpApi.Response missing = api().get("/api/v1/labels/10");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");

    HttpApi.Response notAnIndex = api().get("/api/v1/labels/seven");
    assertThat(notAnIndex.status()).isEqualTo(400);
    assertThat(notAnIndex.json().get("field").asString()).isEqualTo("index");
  }
}
