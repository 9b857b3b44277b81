package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Request parameters read against the catalogue: defaults, ranges, types and unknown names. */
class AttackParamsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void absentParametersTakeTheirDefaultsInTheOrderRead() {
    AttackParams params = params("pgd", Map.of());
    new PgdMethod(AttackFixtures.PROPERTIES).prepare(params);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("norm", "linf");
    expected.put("eps", 8.0 / 255);
    expected.put("stepSize", 2.0 / 255);
    expected.put("steps", 10);
    expected.put("randomStart", true);
    expected.put("earlyStop", true);
    expected.put("seed", 0L);
    assertThat(params.used()).containsExactlyEntriesOf(expected);
  }

  @Test
  void deepFoolCandidatesDefaultToTheModelsClassesWhenFewer() {
    AttackParams three = new AttackParams(AttackFixtures.catalogue().method("deepfool", new ModelShape(3, 12)).spec(),
        Map.of());
    assertThat(three.integer("candidates")).isEqualTo(3);
    assertThat(params("deepfool", Map.of()).integer("candidates")).isEqualTo(10);
  }

  @Test
  void givenValuesAreUsedAsSent() {
    AttackParams params = params("pgd", Map.of("eps", 0.1, "steps", 20, "norm", " L2 ", "randomStart", false));
    assertThat(params.choice("norm")).isEqualTo("l2");
    assertThat(params.budget("eps", Norm.L2, 0)).isEqualTo(0.1);
    assertThat(params.integer("steps")).isEqualTo(20);
    assertThat(params.bool("randomStart")).isFalse();
    assertThat(params.integer("steps")).as("a whole double is an integer").isEqualTo(20);
    assertThat(params("pgd", Map.of("steps", 20.0)).integer("steps")).isEqualTo(20);
  }

  @Test
  void anL2BudgetMayExceedOneUpToTheLengthOfTheImage() {
    double maxL2 = Math.sqrt(3 * 32 * 32);
    assertThat(params("pgd", Map.of("eps", 55.0)).budget("eps", Norm.L2, 0)).isEqualTo(55.0);
    assertInvalid(() -> params("pgd", Map.of("eps", 56.0)).budget("eps", Norm.L2, 0), "params.eps",
        "above the maximum " + maxL2);
    assertInvalid(() -> params("pgd", Map.of("eps", 2.0)).budget("eps", Norm.LINF, 0), "params.eps", "set norm to l2");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "pgd      | {\"eps\": -0.1}         | params.eps         | below the minimum 0",
      "pgd      | {\"eps\": \"big\"}        | params.eps         | must be a number, got \"big\"",
      "pgd      | {\"eps\": true}         | params.eps         | must be a number",
      "pgd      | {\"steps\": 0}          | params.steps       | below the minimum 1",
      "pgd      | {\"steps\": 1001}       | params.steps       | above the maximum 1000",
      "pgd      | {\"steps\": 2.5}        | params.steps       | must be an integer",
      "pgd      | {\"steps\": \"10\"}       | params.steps       | must be an integer",
      "pgd      | {\"randomStart\": \"yes\"} | params.randomStart | must be true or false",
      "pgd      | {\"norm\": \"l3\"}        | params.norm        | must be one of [linf, l2]",
      "pgd      | {\"norm\": 2}           | params.norm        | must be one of [linf, l2]",
      "pgd      | {\"seed\": -1}          | params.seed        | below the minimum 0",
      "fgsm     | {\"label\": 10}         | params.label       | above the maximum 9",
      "noise    | {\"sigma\": 1.5}        | params.sigma       | above the maximum 1",
      "deepfool | {\"candidates\": 1}     | params.candidates  | below the minimum 2",
      "deepfool | {\"candidates\": 11}    | params.candidates  | above the maximum 10"})
  void invalidValuesNameTheirField(String method, String raw, String field, String detail) {
    AttackCatalogue.Offer offer = AttackFixtures.catalogue().method(method, AttackFixtures.DIGITS);
    Map<String, Object> sent = new HashMap<>(JSON.readValue(raw, Map.class));
    if (method.equals("noise")) {
      sent.put("distribution", "gaussian");
    }
    assertInvalid(() -> {
      AttackParams params = new AttackParams(offer.spec(), sent);
      offer.method().prepare(params);
      if (offer.spec().param("label") != null) {
        params.optionalInteger("label"); // read by the planner, not the method
      }
    }, field, detail);
  }

  @Test
  void unknownNamesAreRejectedUpFront() {
    assertInvalid(() -> params("pgd", Map.of("epsilon", 0.1)), "params.epsilon", "has no parameter 'epsilon'");
    assertInvalid(() -> params("semantic", Map.of("eps", 0.1)), "params.eps", "Method 'semantic'");
  }

  private static AttackParams params(String method, Map<String, Object> raw) {
    return AttackFixtures.params(method, AttackFixtures.DIGITS, raw);
  }

  static void assertInvalid(Runnable call, String field, String detail) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST);
      assertThat(e.properties()).containsEntry("field", field);
      assertThat(e.getMessage()).contains(detail);
    });
  }
}
