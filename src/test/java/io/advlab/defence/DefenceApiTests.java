package io.advlab.defence;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code defence} object over real HTTP on the digits model: classifications and attacks. */
class DefenceApiTests extends DigitsServerTest {

  private String seven;

  @BeforeEach
  void loadSeven() throws Exception {
    Path dir = TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir()).resolve("7");
    try (var files = Files.list(dir)) {
      seven = Base64.getEncoder().encodeToString(Files.readAllBytes(files.sorted().findFirst().orElseThrow()));
    }
  }

  @Test
  void classificationThroughTheDefenceNamesItAndAveragesTheDraws() {
    JsonNode plain = ok(api().postJson("/api/v1/classifications", Map.of("imageBase64", seven, "topK", 10)));
    JsonNode defended = ok(api().postJson("/api/v1/classifications", Map.of("imageBase64", seven, "topK", 10,
        "defence", Map.of("type", "randomization"))));
    assertThat(plain.has("defence")).isFalse();
    JsonNode defence = defended.get("defence");
    assertThat(defence.get("type").asString()).isEqualTo("randomization");
    assertThat(defence.get("draws").asInt()).isEqualTo(30);
    assertThat(defence.get("minSize").asInt()).isEqualTo(29);
    assertThat(defence.get("maxSize").asInt()).isEqualTo(32);
    assertThat(defence.get("seed").asLong()).isEqualTo(0);
    assertThat(defended.get("predictions").get(0).get("index").asInt()).isEqualTo(7);
    double sum = 0;
    for (JsonNode p : defended.get("predictions")) {
      sum += p.get("probability").asDouble();
    }
    assertThat(sum).as("averaged probabilities of all 10 classes").isBetween(0.999, 1.001);
    JsonNode again = ok(api().postJson("/api/v1/classifications", Map.of("imageBase64", seven, "topK", 10,
        "defence", Map.of("type", "randomization"))));
    assertThat(again.get("predictions")).as("same seed, same draws").isEqualTo(defended.get("predictions"));
  }

  @Test
  void multipartTakesTheDefenceAsJsonText() {
    HttpApi.Response r = api().postImage("/api/v1/classifications", Base64.getDecoder().decode(seven), "seven.png",
        Map.of("defence", "{\"type\": \"randomization\", \"draws\": 4, \"flip\": true, \"seed\": 9}"));
    JsonNode body = ok(r);
    assertThat(body.get("defence").get("draws").asInt()).isEqualTo(4);
    assertThat(body.get("defence").get("flip").asBoolean()).isTrue();
  }

  @Test
  void badDefencesAre400sNamingTheField() {
    assertProblem(api().postJson("/api/v1/classifications", Map.of("imageBase64", seven,
        "defence", Map.of("type", "randomization", "draws", 101))), "defence.draws");
    assertProblem(api().postImage("/api/v1/classifications", Base64.getDecoder().decode(seven), "seven.png",
        Map.of("defence", "[1]")), "defence");
    Map<String, Object> attack = attack("pgd", Map.of("eps", 0.1, "eot", 2));
    assertProblem(api().postJson("/api/v1/attacks", attack), "params.eot");
    attack.put("params", Map.of("eps", 0.1, "eot", 65));
    attack.put("defence", Map.of("type", "randomization"));
    assertProblem(api().postJson("/api/v1/attacks", attack), "params.eot");
    attack.put("params", Map.of("eps", 0.1));
    attack.put("defence", Map.of("type", "randomization", "maxSize", 40));
    assertProblem(api().postJson("/api/v1/attacks", attack), "defence.maxSize");
    attack.put("defence", Map.of("type", "randomization", "padSize", 36));
    assertProblem(api().postJson("/api/v1/attacks", attack), "defence.padSize");
    assertProblem(api().postJson("/api/v1/classifications", Map.of("imageBase64", seven,
        "defence", Map.of("type", "randomization", "padSize", 36))), "defence.padSize");
  }

  @Test
  void attacksJudgeThroughTheDefenceAndReportEot() {
    Map<String, Object> vanilla = attack("pgd", Map.of("eps", 0.1, "steps", 5));
    vanilla.put("defence", Map.of("type", "randomization", "draws", 10));
    JsonNode r = ok(api().postJson("/api/v1/attacks", vanilla));
    assertThat(r.get("params").get("eot").asInt()).isEqualTo(0);
    assertThat(r.get("defence").get("draws").asInt()).isEqualTo(10);
    assertThat(r.get("original").get("predictions").get(0).get("index").asInt()).isEqualTo(7);

    Map<String, Object> eot = attack("pgd", Map.of("eps", 0.3, "steps", 10, "eot", 4));
    eot.put("defence", Map.of("type", "randomization", "draws", 10));
    JsonNode e = ok(api().postJson("/api/v1/attacks", eot));
    assertThat(e.get("params").get("eot").asInt()).isEqualTo(4);
    assertThat(e.get("success").asBoolean()).as("EOT-PGD eps 0.3 through the defence").isTrue();
    assertThat(e.get("adversarial").get("predictions").get(0).get("index").asInt()).isNotEqualTo(7);

    JsonNode noise = ok(api().postJson("/api/v1/attacks", withDefence(attack("noise", Map.of("eps", 0.01)))));
    assertThat(noise.get("params").has("eot")).as("eot is a parameter of white-box methods only").isFalse();
  }

  private Map<String, Object> attack(String method, Map<String, Object> params) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("imageBase64", seven);
    body.put("method", method);
    body.put("params", params);
    return body;
  }

  private static Map<String, Object> withDefence(Map<String, Object> body) {
    body.put("defence", Map.of("type", "randomization"));
    return body;
  }

  private static JsonNode ok(HttpApi.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static void assertProblem(HttpApi.Response response, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("field").asString()).isEqualTo(field);
  }
}
