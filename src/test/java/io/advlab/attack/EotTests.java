package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.defence.Defence;
import io.advlab.defence.Draw;
import io.advlab.model.ClassifierModel;
import io.advlab.model.TestModels;
import io.advlab.problem.ApiException;
import io.advlab.support.TestRequirements;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expectation over Transformation in the gradient scheduler: a row with k draws gets the mean of
 * its k single-draw results, rows without draws beside it get what they get alone, and a step
 * whose rows times draws exceed the batch size is a 400 naming {@code params.eot}.
 */
class EotTests {

  private static final AttackProperties PROPERTIES =
      new AttackProperties(Duration.ofSeconds(30), Duration.ofSeconds(60), 1000, 64, 16, Duration.ofMillis(1),
          AttackProperties.StateOnDevice.AUTO);

  @Test
  void expandAndFoldAverageEachRowOverItsDraws() {
    Draw a = new Draw(29, 29, 0, 0, false, 32, 32);
    Draw b = new Draw(30, 30, 1, 2, true, 32, 32);
    List<GradientRow> rows = List.of(new GradientRow(new float[1], Objective.raiseLoss(0), List.of(a, b)),
        new GradientRow(new float[1], Objective.raiseLoss(1)));
    List<GradientRow> expanded = Eot.expand(rows);
    assertThat(expanded).extracting(GradientRow::draws).containsExactly(List.of(a), List.of(b), List.of());
    List<GradientResult> folded = Eot.fold(rows, List.of(new GradientResult(new float[] {1, 3}, new float[] {2}),
        new GradientResult(new float[] {3, 5}, new float[] {4}), new GradientResult(new float[] {7, 7}, new float[] {9})));
    assertThat(folded.get(0).logits()).containsExactly(2f, 4f);
    assertThat(folded.get(0).gradient()).containsExactly(3f);
    assertThat(folded.get(1).gradient()).containsExactly(9f);
  }

  @Test
  void eotRowIsTheMeanOfItsDrawsAndPlainRowsBesideItAreUnchanged() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      List<Path> digits = AttackTestImages.digits(2, 11);
      float[] x = AttackTestImages.pixels(digits.get(0));
      float[] plain = AttackTestImages.pixels(digits.get(1));
      Defence defence = Defence.parse(Map.of("type", "randomization", "flip", true), 32);
      List<Draw> draws = defence.judgingDraws(32, 32).subList(0, 5);
      GradientRow eotRow = new GradientRow(x, Objective.raiseLoss(3), draws);
      GradientRow plainRow = new GradientRow(plain, Objective.raiseLoss(5));

      List<GradientResult> both;
      try (GradientScheduler.Session session = scheduler.open()) {
        both = scheduler.submit(List.of(eotRow, plainRow)).get();
      }
      List<GradientResult> single = new ArrayList<>();
      for (Draw d : draws) {
        single.add(scheduler.gradients(List.of(new GradientRow(x, Objective.raiseLoss(3), List.of(d)))).get(0));
      }
      GradientResult mean = Eot.fold(List.of(eotRow), single).get(0);
      assertThat(relativeDiff(both.get(0).gradient(), mean.gradient())).isLessThan(1e-5);
      assertThat(relativeDiff(both.get(0).logits(), mean.logits())).isLessThan(1e-5);
      assertThat(Pixels.l2(both.get(0).gradient())).isGreaterThan(0);
      GradientResult alone = scheduler.gradients(List.of(plainRow)).get(0);
      assertThat(relativeDiff(both.get(1).gradient(), alone.gradient())).isLessThan(1e-5);
      GradientResult undefended = scheduler.gradients(List.of(new GradientRow(x, Objective.raiseLoss(3)))).get(0);
      assertThat(relativeDiff(both.get(0).gradient(), undefended.gradient())).as("the draws change the gradient")
          .isGreaterThan(1e-3);

      List<Draw> distinct = new ArrayList<>();
      for (int i = 0; i < 17; i++) {
        distinct.add(new Draw(29, 29, i / 4 % 4, i % 4, i >= 16, 32, 32));
      }
      GradientRow tooMany = new GradientRow(x, Objective.raiseLoss(3), distinct);
      assertThatThrownBy(() -> scheduler.submit(List.of(tooMany))).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.properties()).containsEntry("field", "params.eot"));
    }
  }

  private static double relativeDiff(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      norm = Math.max(norm, Math.abs(b[i]));
    }
    return norm == 0 ? diff : diff / norm;
  }
}
