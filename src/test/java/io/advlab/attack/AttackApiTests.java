package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The attack API over real HTTP on the digits model: results, determinism, errors, concurrency. */
class AttackApiTests extends DigitsServerTest {

  private static final String PATH = "/api/v1/attacks";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void catalogueDescribesEveryMethod() {
    HttpApi.Response response = api().get(PATH);
    assertThat(response.status()).isEqualTo(200);
    JsonNode methods = response.json().get("methods");
    List<String> names = new ArrayList<>();
    methods.forEach(m -> names.add(m.get("name").asString()));
    assertThat(names).containsExactly("noise", "semantic", "fgsm", "pgd", "deepfool");
    JsonNode pgd = method(methods, "pgd");
    assertThat(pgd.get("targeted").asString()).isEqualTo("optional");
    assertThat(pgd.get("whiteBox").asBoolean()).isTrue();
    JsonNode eps = param(pgd, "eps");
    assertThat(eps.get("type").asString()).isEqualTo("number");
    assertThat(eps.get("defaultValue").asDouble()).isCloseTo(8.0 / 255, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(eps.get("min").asDouble()).isEqualTo(0.0);
    assertThat(eps.get("max").asDouble()).isEqualTo(1.0);
    assertThat(eps.get("maxL2").asDouble()).isCloseTo(Math.sqrt(3 * 32 * 32), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(param(pgd, "steps").get("max").asInt()).isEqualTo(1000);
    assertThat(param(pgd, "norm").get("values").toString()).contains("linf", "l2");
    assertThat(method(methods, "deepfool").get("targeted").asString()).isEqualTo("never");
    assertThat(param(method(methods, "deepfool"), "candidates").get("max").asInt()).isEqualTo(10);
    assertThat(method(methods, "noise").get("whiteBox").asBoolean()).isFalse();
  }

  @Test
  void semanticReturnsExactlyTheNegativeImage() throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(5);
    JsonNode body = ok(attack(digit, "semantic", Map.of(), null));
    float[] original = AttackTestImages.pixels(digit.path());
    float[] adversarial = image(body, "adversarialImage");
    for (int i = 0; i < original.length; i++) {
      int expected = 255 - Math.round(original[i] * 255);
      assertThat(Math.round(adversarial[i] * 255)).as("8-bit value %d", i).isEqualTo(expected);
    }
    assertThat(body.get("iterations").asInt()).isZero();
    assertThat(body.get("completed").asBoolean()).isTrue();
  }

  @Test
  void noiseStaysWithinEpsAndFollowsTheSeed() throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(17);
    float[] original = AttackTestImages.pixels(digit.path());
    JsonNode first = ok(attack(digit, "noise", Map.of("eps", 0.05, "seed", 7), null));
    float[] noisy = image(first, "adversarialImage");
    double linf = Pixels.linf(Pixels.sub(noisy, original));
    assertThat(linf).isLessThanOrEqualTo(0.05 + 1e-6).isGreaterThan(0.04);
    assertThat(first.get("perturbation").get("linf").asDouble()).isCloseTo(linf, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(first.get("perturbation").get("l0").asLong()).isGreaterThan(1000);

    JsonNode again = ok(attack(digit, "noise", Map.of("eps", 0.05, "seed", 7), null));
    JsonNode other = ok(attack(digit, "noise", Map.of("eps", 0.05, "seed", 8), null));
    assertThat(again.get("adversarialImage").asString()).isEqualTo(first.get("adversarialImage").asString());
    assertThat(other.get("adversarialImage").asString()).isNotEqualTo(first.get("adversarialImage").asString());
  }

  @Test
  void pgdIsDeterministicForASeedAndReportsHonestNorms() throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(250);
    Map<String, Object> params = Map.of("eps", 0.1, "stepSize", 0.025, "steps", 20, "seed", 3);
    JsonNode first = ok(attack(digit, "pgd", params, null));
    JsonNode second = ok(attack(digit, "pgd", params, null));
    assertThat(second.get("adversarialImage").asString()).isEqualTo(first.get("adversarialImage").asString());
    assertThat(first.get("success").asBoolean()).isTrue();
    assertThat(first.get("quantizedSuccess").asBoolean()).isTrue();
    assertThat(first.get("adversarial").get("predictions").get(0).get("index").asInt())
        .isNotEqualTo(first.get("original").get("predictions").get(0).get("index").asInt());

    float[] original = AttackTestImages.pixels(digit.path());
    float[] delta = Pixels.sub(image(first, "adversarialImage"), original);
    JsonNode p = first.get("perturbation");
    assertThat(Pixels.linf(delta)).isLessThanOrEqualTo(0.1 + 1e-6);
    assertThat(p.get("linf").asDouble()).isCloseTo(Pixels.linf(delta), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(p.get("l2").asDouble()).isCloseTo(Pixels.l2(delta), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(p.get("rho").asDouble()).isCloseTo(Pixels.l2(delta) / Pixels.l2(original), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(first.get("params").get("stepSize").asDouble()).isEqualTo(0.025);
    assertThat(first.get("perturbationImage").asString()).isNotBlank();

    // The returned PNG, classified again through the classification API, is what the response claims.
    HttpApi.Response reclassified = api().postJson("/api/v1/classifications",
        Map.of("imageBase64", first.get("adversarialImage").asString()));
    assertThat(reclassified.json().get("predictions").get(0).get("index").asInt())
        .isEqualTo(first.get("adversarial").get("predictions").get(0).get("index").asInt());
  }

  /**
   * An L2 budget holds for the returned PNG as an L∞ one does: rounding to 8 bits stays inside the
   * L2 ball, so the decoded image's ‖δ‖₂, and the reported {@code perturbation.l2}, are within eps.
   */
  @Test
  void pgdL2PngsStayWithinTheirBudget() throws Exception {
    double eps = 1.5;
    List<AttackTestImages.Digit> all = AttackTestImages.all();
    List<String> over = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < all.size(); i += 25) {
      AttackTestImages.Digit digit = all.get(i);
      JsonNode body = ok(attack(digit, "pgd", Map.of("eps", eps, "stepSize", 0.375, "steps", 20, "norm", "l2"), null));
      double l2 = Pixels.l2(Pixels.sub(image(body, "adversarialImage"), AttackTestImages.pixels(digit.path())));
      if (l2 > eps + 1e-6 || body.get("perturbation").get("l2").asDouble() > eps + 1e-6) {
        over.add(digit.path().getFileName() + ": " + l2);
      }
      assertThat(body.get("quantizedSuccess").asBoolean()).as("quantizedSuccess of %s", digit.path())
          .isEqualTo(body.get("success").asBoolean());
      n++;
    }
    assertThat(over).as("PNGs over the L2 budget, of %d", n).isEmpty();
  }

  /**
   * FGSM and PGD without random start classify the original in their first gradient pass, the
   * others on the inference network: either way the original's predictions are the classification
   * API's.
   */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "fgsm; {}", "pgd; {\"steps\": 2}", "pgd; {\"steps\": 2, \"randomStart\": true}", "deepfool; {\"maxIter\": 2}",
      "noise; {}"})
  void originalPredictionsAreTheClassificationApis(String method, String params) throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(77);
    Map<String, Object> parsed = JSON.readValue(params, Map.class);
    JsonNode attacked = ok(attack(digit, method, parsed, null)).get("original").get("predictions");
    JsonNode classified = ok(api().postJson("/api/v1/classifications",
        Map.of("imageBase64", Base64.getEncoder().encodeToString(digit.bytes())))).get("predictions");
    assertThat(attacked.size()).isEqualTo(5);
    for (int i = 0; i < attacked.size(); i++) {
      assertThat(attacked.get(i).get("index").asInt()).as("class at rank " + i)
          .isEqualTo(classified.get(i).get("index").asInt());
      assertThat(attacked.get(i).get("probability").asDouble()).as("probability at rank " + i)
          .isCloseTo(classified.get(i).get("probability").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void targetedAttackReachesTheTarget() throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(420);
    int target = (digit.label() + 1) % 10;
    JsonNode body = ok(attack(digit, "pgd", Map.of("eps", 0.3, "stepSize", 0.03, "steps", 40), target));
    assertThat(body.get("target").asInt()).isEqualTo(target);
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("adversarial").get("predictions").get(0).get("index").asInt()).isEqualTo(target);
  }

  @Test
  void multipartUploadWithParamsAsJsonField() throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(600);
    int target = (digit.label() + 3) % 10;
    HttpApi.Response response = api().postImage(PATH, digit.bytes(), "digit.png",
        Map.of("method", "fgsm", "params", "{\"eps\": 0.3}", "target", Integer.toString(target)));
    JsonNode body = ok(response);
    assertThat(body.get("method").asString()).isEqualTo("fgsm");
    assertThat(body.get("target").asInt()).isEqualTo(target);
    assertThat(body.get("iterations").asInt()).isEqualTo(1);
    assertThat(body.get("perturbation").get("linf").asDouble()).isLessThanOrEqualTo(0.3 + 1e-6).isGreaterThan(0.29);

    HttpApi.Response bad = api().postImage(PATH, digit.bytes(), "digit.png", Map.of("method", "fgsm", "params", "eps=0.3"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asString()).isEqualTo("params");
  }

  @ParameterizedTest(name = "{0} {1} target={2} -> 400 {3}")
  @CsvSource(delimiter = '|', value = {
      "pgd      | {\"eps\": -0.1}                 |    | params.eps",
      "fgsm     | {\"eps\": 1.5}                  |    | params.eps",
      "pgd      | {\"eps\": 2.0, \"norm\": \"linf\"} |    | params.eps",
      "pgd      | {\"eps\": 60.0, \"norm\": \"l2\"} |    | params.eps",
      "pgd      | {\"steps\": 5000}               |    | params.steps",
      "pgd      | {\"steps\": 0}                  |    | params.steps",
      "pgd      | {\"norm\": \"l3\"}                |    | params.norm",
      "pgd      | {\"eps\": \"big\"}                |    | params.eps",
      "pgd      | {\"epsilon\": 0.1}              |    | params.epsilon",
      "deepfool | {\"maxIter\": 1001}             |    | params.maxIter",
      "deepfool | {\"candidates\": 11}            |    | params.candidates",
      "pgd      | {}                              | 10 | target",
      "fgsm     | {}                              | -1 | target",
      "fgsm     | {\"label\": 3}                   | 4  | params.label",
      "fgsm     | {\"label\": 10}                  |    | params.label",
      "deepfool | {}                              | 3  | target",
      "semantic | {}                              | 3  | target",
      "blur     | {}                              |    | method",
      "         | {}                              |    | method"})
  void badParametersNameTheField(String method, String params, Integer target, String field) throws Exception {
    Map<String, Object> body = new HashMap<>();
    body.put("imageBase64", Base64.getEncoder().encodeToString(AttackTestImages.all().get(0).bytes()));
    if (method != null) {
      body.put("method", method);
    }
    body.put("params", JSON.readValue(params, Map.class));
    if (target != null) {
      body.put("target", target);
    }
    HttpApi.Response response = api().postJson(PATH, body);
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("field").asString()).isEqualTo(field);
    assertThat(response.json().get("detail").asString()).isNotBlank();
  }

  @Test
  void deadlineReturnsTheBestSoFarMarkedIncomplete() throws Exception {
    AttackTestImages.Digit digit = AttackTestImages.all().get(33);
    Map<String, Object> body = new LinkedHashMap<>(request(digit, "pgd",
        Map.of("eps", 0.001, "stepSize", 0.0001, "steps", 1000, "earlyStop", false), null));
    body.put("deadlineMs", 30);
    JsonNode response = ok(api().postJson(PATH, body));
    assertThat(response.get("completed").asBoolean()).isFalse();
    assertThat(response.get("iterations").asInt()).isLessThan(1000);
    assertThat(response.get("perturbation").get("linf").asDouble()).isLessThanOrEqualTo(0.001 + 0.5 / 255);
    assertThat(response.get("adversarialImage").asString()).isNotBlank();
  }

  @Test
  void concurrentPgdRequestsMatchTheirSequentialResults() throws Exception {
    List<AttackTestImages.Digit> all = AttackTestImages.all();
    List<Map<String, Object>> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(request(all.get(i * 125 + 7), "pgd",
          Map.of("eps", 0.2, "stepSize", 0.05, "steps", 20, "seed", i), null));
    }
    List<JsonNode> sequential = new ArrayList<>();
    for (Map<String, Object> r : requests) {
      sequential.add(ok(api().postJson(PATH, r)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> concurrent = new ArrayList<>();
      for (Map<String, Object> r : requests) {
        concurrent.add(pool.submit(() -> ok(api().postJson(PATH, r))));
      }
      for (int i = 0; i < 8; i++) {
        JsonNode c = concurrent.get(i).get();
        JsonNode s = sequential.get(i);
        assertThat(c.get("success").asBoolean()).as("request %d succeeds", i).isTrue();
        assertThat(c.get("iterations").asInt()).as("iterations of request %d", i).isEqualTo(s.get("iterations").asInt());
        assertThat(c.get("adversarialImage").asString()).as("image of request %d", i)
            .isEqualTo(s.get("adversarialImage").asString());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void openApiDocumentsBothRequestFormsWithExamples() {
    JsonNode doc = api().get("/v3/api-docs").json();
    JsonNode attacks = doc.get("paths").get(PATH);
    assertThat(attacks.get("get").get("operationId").asString()).isEqualTo("listAttacks");
    JsonNode content = attacks.get("post").get("requestBody").get("content");
    assertThat(doc.get("paths").get(PATH + "/upload").get("post").get("requestBody").get("content")
        .has("multipart/form-data")).isTrue();
    JsonNode examples = content.get("application/json").get("examples");
    List<String> names = new ArrayList<>();
    examples.propertyNames().forEach(names::add);
    assertThat(names).contains("pgd", "targeted-pgd", "fgsm", "deepfool", "noise", "semantic");
    assertThat(attacks.get("post").get("responses").has("400")).isTrue();
    assertThat(doc.get("components").get("schemas").has("AttackResponse")).isTrue();
  }

  @Test
  void attacksAreCountedAndTimed() throws Exception {
    ok(attack(AttackTestImages.all().get(1), "semantic", Map.of(), null));
    String metrics = api().get("/actuator/prometheus").body();
    assertThat(metrics).contains("advlab_attacks_total{").contains("method=\"semantic\"")
        .contains("advlab_attack_seconds_count{").contains("advlab_gradient_queue_waiting");
  }

  private HttpApi.Response attack(AttackTestImages.Digit digit, String method, Map<String, Object> params, Integer target) {
    return api().postJson(PATH, request(digit, method, params, target));
  }

  static Map<String, Object> request(AttackTestImages.Digit digit, String method, Map<String, Object> params,
      Integer target) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("imageBase64", Base64.getEncoder().encodeToString(digit.bytes()));
    body.put("method", method);
    body.put("params", params);
    if (target != null) {
      body.put("target", target);
    }
    return body;
  }

  static JsonNode ok(HttpApi.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  static float[] image(JsonNode body, String field) {
    return AttackTestImages.decode(Base64.getDecoder().decode(body.get(field).asString()));
  }

  private static JsonNode method(JsonNode methods, String name) {
    for (JsonNode m : methods) {
      if (m.get("name").asString().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no method " + name);
  }

  private static JsonNode param(JsonNode method, String name) {
    for (JsonNode p : method.get("params")) {
      if (p.get("name").asString().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no parameter " + name + " in " + method.get("name"));
  }
}
