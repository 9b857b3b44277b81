package io.advlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipeTests {

  private static final TrainingProperties LIMITS = new TrainingProperties(true, 2, 50, 50, 512, 100000,
      Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void defaultsFollowTheMethod() {
    Recipe pgd = Recipe.parse("pgd", Map.of("eps", 0.1), 3, LIMITS);
    assertThat(pgd.stepSize()).isEqualTo(0.025);
    assertThat(pgd.steps()).isEqualTo(7);
    assertThat(pgd.cleanShare()).isZero();
    assertThat(pgd.cleanRows(64)).isZero();
    assertThat(pgd.seed()).isEqualTo(3);

    Recipe fast = Recipe.parse("fgsm-rs", Map.of("eps", 0.1), 0, LIMITS);
    assertThat(fast.stepSize()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(fast.steps()).isEqualTo(1);

    Recipe semantic = Recipe.parse("semantic", Map.of(), 0, LIMITS);
    assertThat(semantic.cleanShare()).isEqualTo(0.5);
    assertThat(semantic.cleanRows(64)).as("every image once clean, once negated").isEqualTo(64);

    Recipe clean = Recipe.parse("clean", Map.of(), 0, LIMITS);
    assertThat(clean.cleanRows(64)).isEqualTo(64);
  }

  @Test
  void theRecordedRecipeParsesBackToTheSameRecipe() {
    Recipe recipe = Recipe.parse("pgd", Map.of("eps", 0.1, "steps", 5, "schedule", "cyclic",
        "freeze", List.of("batchnorm", "c1")), 7, LIMITS);
    Map<String, Object> params = new java.util.LinkedHashMap<>(recipe.asMap());
    params.keySet().removeAll(List.of("method", "optimizer", "seed"));
    assertThat(Recipe.parse("pgd", params, 7, LIMITS)).isEqualTo(recipe);
    assertThat(recipe.freezesBatchNorm()).isTrue();
    assertThat(recipe.frozenPrefixes()).containsExactly("c1");
  }

  @Test
  void outOfRangeOrUnknownParametersNameTheirField() {
    assertField(() -> Recipe.parse("pgd", Map.of("eps", 0), 0, LIMITS), "params.eps");
    assertField(() -> Recipe.parse("pgd", Map.of("eps", 2), 0, LIMITS), "params.eps");
    assertField(() -> Recipe.parse("pgd", Map.of("epochs", 51), 0, LIMITS), "params.epochs");
    assertField(() -> Recipe.parse("pgd", Map.of("epochs", 2.5), 0, LIMITS), "params.epochs");
    assertField(() -> Recipe.parse("pgd", Map.of("schedule", "cosine"), 0, LIMITS), "params.schedule");
    assertField(() -> Recipe.parse("pgd", Map.of("cleanShare", 1.0), 0, LIMITS), "params.cleanShare");
    assertField(() -> Recipe.parse("fgsm-rs", Map.of("steps", 3), 0, LIMITS), "params.steps");
    assertField(() -> Recipe.parse("pgd", Map.of("freeze", "c1"), 0, LIMITS), "params.freeze");
    assertField(() -> Recipe.parse("pgd", Map.of("lr", 0.1), 0, LIMITS), "params.lr");
    assertField(() -> Recipe.parse("trades", Map.of(), 0, LIMITS), "method");
    assertField(() -> Recipe.parse(null, Map.of(), 0, LIMITS), "method");
  }

  private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.properties()).containsEntry("field", field));
  }
}
