package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FGSM and PGD driven step by step on a linear classifier (logits = W x + b) whose gradients are
 * known in closed form: FGSM moves each value by exactly eps times the sign of the gradient, PGD
 * stays inside its ball at every step and flips the classifier when the budget allows it.
 */
class PgdAttackTests {

  private static final int N = 12;
  /** Two classes; class 1's weights alternate +1/-1, so W x is 0 on a flat image and the bias decides. */
  private static final LinearClassifier TWO_CLASSES = new LinearClassifier(
      new float[][] {new float[N], alternating()}, new float[] {0.5f, 0f});

  @Test
  void fgsmMovesEachValueByExactlyEpsTimesTheGradientSign() {
    // Columns 3 and 7 are zero for every class: no gradient there, so FGSM leaves them alone.
    float[][] w = {
        {1f, -2f, 0.5f, 0f, 0.25f, -1f, 3f, 0f, -0.5f, 1f, 2f, -3f},
        {-1f, 1f, 1f, 0f, -2f, 0.5f, -1f, 0f, 1f, -0.25f, 1f, 2f},
        {0.5f, 0.5f, -1f, 0f, 1f, 1f, 0.5f, 0f, -1f, 1f, -2f, 1f}};
    LinearClassifier model = new LinearClassifier(w, new float[] {2f, 0f, 0f});
    float[] x = flat(100);
    AttackContext context = model.context(x, null);
    Attack fgsm = prepare("fgsm", new ModelShape(3, N), Map.of("eps", 8.0 / 255)).factory().apply(context);
    float[] g = model.evaluate(new GradientRow(x, Objective.raiseLoss(context.sourceLabel()))).gradient();

    assertThat(model.drive(fgsm, () -> {})).isEqualTo(1);
    float[] adversarial = fgsm.adversarial();
    for (int i = 0; i < N; i++) {
      assertThat(adversarial[i]).as("value %d, gradient %s", i, g[i])
          .isEqualTo(Pixels.level(100 + 8 * (int) Math.signum(g[i])));
    }
    assertThat(adversarial[3]).isEqualTo(x[3]);
    assertThat(adversarial[7]).isEqualTo(x[7]);
    assertThat(fgsm.iterations()).isEqualTo(1);
    assertThat(fgsm.linfBound()).isEqualTo(8.0 / 255);
    assertThat(fgsm.l2Bound()).as("no L2 bound for an L∞ attack").isEqualTo(-1);
  }

  @Test
  void fgmMovesAlongTheNormalizedGradient() {
    float[] x = flat(128);
    AttackContext context = TWO_CLASSES.context(x, null);
    Attack fgm = prepare("fgsm", new ModelShape(2, N), Map.of("eps", 0.3, "norm", "l2")).factory().apply(context);
    TWO_CLASSES.drive(fgm, () -> {});
    float[] delta = Pixels.sub(fgm.adversarial(), x);
    float[] w = alternating();
    double length = Pixels.l2(w);
    for (int i = 0; i < N; i++) {
      assertThat((double) delta[i]).isCloseTo(0.3 * w[i] / length, within(0.5 / 255 + 1e-6));
    }
    assertThat(fgm.linfBound()).as("no L∞ bound for an L2 attack").isEqualTo(-1);
  }

  @Test
  void pgdStaysInsideTheLinfBallAndFlipsTheClassifier() {
    float[] x = flat(128);
    assertThat(TWO_CLASSES.classify(x)).isZero();
    AttackContext context = TWO_CLASSES.context(x, null);
    double eps = 16.0 / 255; // can move W x by 12 * 16/255 = 0.75, past the bias gap of 0.5
    Attack pgd = prepare("pgd", new ModelShape(2, N),
        Map.of("eps", eps, "stepSize", 4.0 / 255, "steps", 20, "seed", 5)).factory().apply(context);

    int steps = TWO_CLASSES.drive(pgd, () ->
        assertThat(Pixels.linf(Pixels.sub(pgd.adversarial(), x))).isLessThanOrEqualTo(eps + 1e-6));

    assertThat(TWO_CLASSES.classify(pgd.adversarial())).isEqualTo(1);
    assertThat(context.succeeds(TWO_CLASSES.logits(pgd.adversarial()))).isTrue();
    assertThat(steps).as("early stop once the 8-bit iterate succeeds").isLessThan(20);
  }

  @Test
  void pgdGivesTheSameImagesWithItsStateInTheJvmAsOnTheDevice() {
    float[][] w = {new float[N], alternating(), negated(alternating())};
    LinearClassifier model = new LinearClassifier(w, new float[] {0.5f, 0f, 0f});
    for (boolean randomStart : new boolean[] {true, false}) {
      float[] x = flat(120);
      x[3] = Pixels.level(0);
      x[8] = (200 + 0.5f) / 255f;
      Map<String, Object> params = Map.of("eps", 6.0 / 255, "stepSize", 2.0 / 255, "steps", 9, "seed", 3,
          "randomStart", randomStart, "earlyStop", false);
      Attack onDevice = prepare("pgd", new ModelShape(3, N), params).factory().apply(model.context(x, 2));
      Attack inJvm = prepare("pgd", new ModelShape(3, N), params).factory().apply(model.hostContext(x, 2));
      List<float[]> deviceImages = new ArrayList<>();
      List<float[]> jvmImages = new ArrayList<>();
      assertThat(model.drive(onDevice, () -> deviceImages.add(onDevice.adversarial()))).isEqualTo(9);
      assertThat(model.drive(inJvm, () -> jvmImages.add(inJvm.adversarial()))).isEqualTo(9);
      for (int step = 0; step < 9; step++) {
        assertThat(deviceImages.get(step)).as("random start %s, step %d", randomStart, step)
            .isEqualTo(jvmImages.get(step));
      }
      assertThat(onDevice.adversarial()).isEqualTo(inJvm.adversarial()).isNotEqualTo(Pixels.quantize(x));
    }
  }

  @Test
  void pgdWithTooSmallABudgetEndsInTheBestCornerOfTheBall() {
    float[] x = flat(128);
    AttackContext context = TWO_CLASSES.context(x, null);
    double eps = 4.0 / 255; // 12 * 4/255 = 0.19 cannot close the gap of 0.5
    Attack pgd = prepare("pgd", new ModelShape(2, N),
        Map.of("eps", eps, "stepSize", 1.0 / 255, "steps", 20, "seed", 5)).factory().apply(context);

    assertThat(TWO_CLASSES.drive(pgd, () -> {})).isEqualTo(20);

    assertThat(TWO_CLASSES.classify(pgd.adversarial())).isZero();
    float[] w = alternating();
    for (int i = 0; i < N; i++) {
      assertThat(pgd.adversarial()[i]).as("value %d", i).isEqualTo(Pixels.level(128 + 4 * (int) Math.signum(w[i])));
    }
  }

  @Test
  void pgdL2StaysInsideTheBallAfterRoundingAndFlipsTheClassifier() {
    float[] x = flat(128);
    AttackContext context = TWO_CLASSES.context(x, null);
    double eps = 0.3; // ||w||2 = sqrt(12), so W x can move by 1.04, past 0.5
    Attack pgd = prepare("pgd", new ModelShape(2, N),
        Map.of("eps", eps, "norm", "l2", "steps", 20, "seed", 2)).factory().apply(context);

    TWO_CLASSES.drive(pgd, () ->
        assertThat(Pixels.l2(Pixels.sub(pgd.adversarial(), x))).isLessThanOrEqualTo(eps + 1e-6));

    assertThat(TWO_CLASSES.classify(pgd.adversarial())).isEqualTo(1);
    assertThat(pgd.l2Bound()).isEqualTo(eps);
    assertThat(pgd.linfBound()).isEqualTo(-1);
  }

  @Test
  void fgmWhoseNearestRoundingLeavesTheBallIsRoundedInside() {
    // 0.3 / sqrt(12) = 22.08 gray levels per value, all rounded up by nearest rounding when eps is
    // that of 22.6 levels per value: sqrt(12) * 23 / 255 > eps. Rounding inside the ball fits.
    float[] x = flat(128);
    double eps = Math.sqrt(N) * 22.6 / 255;
    AttackContext context = TWO_CLASSES.context(x, null);
    Attack fgm = prepare("fgsm", new ModelShape(2, N), Map.of("eps", eps, "norm", "l2")).factory().apply(context);
    TWO_CLASSES.drive(fgm, () -> {});
    float[] delta = Pixels.sub(fgm.adversarial(), x);
    assertThat(Pixels.l2(delta)).isLessThanOrEqualTo(eps + 1e-6);
    assertThat(Pixels.linf(delta)).isGreaterThanOrEqualTo(22f / 255 - 1e-6f);
  }

  @Test
  void targetedPgdReachesTheTarget() {
    float[][] w = {new float[N], alternating(), negated(alternating())};
    LinearClassifier model = new LinearClassifier(w, new float[] {0.5f, 0f, 0f});
    float[] x = flat(128);
    AttackContext context = model.context(x, 2);
    Attack pgd = prepare("pgd", new ModelShape(3, N),
        Map.of("eps", 16.0 / 255, "stepSize", 4.0 / 255, "steps", 20)).factory().apply(context);
    model.drive(pgd, () -> {});
    assertThat(model.classify(pgd.adversarial())).isEqualTo(2);
  }

  @Test
  void fgsmAndPgdWithoutRandomStartTakeTheirFirstStepAtTheCleanInput() {
    ModelShape shape = new ModelShape(2, N);
    assertThat(prepare("fgsm", shape, Map.of()).firstStepAtInput()).isTrue();
    assertThat(prepare("pgd", shape, Map.of("randomStart", false)).firstStepAtInput()).isTrue();
    assertThat(prepare("pgd", shape, Map.of()).firstStepAtInput()).isFalse();

    float[] x = flat(128);
    AttackContext context = TWO_CLASSES.context(x, null);
    Attack pgd = prepare("pgd", shape, Map.of("randomStart", false)).factory().apply(context);
    GradientRow first = pgd.next().get(0);
    assertThat(first.input()).isSameAs(x);
    assertThat(first.objective()).isEqualTo(context.objective());
  }

  static AttackMethod.Prepared prepare(String method, ModelShape shape, Map<String, Object> params) {
    AttackCatalogue.Offer offer = AttackFixtures.catalogue().method(method, shape);
    return offer.method().prepare(new AttackParams(offer.spec(), params));
  }

  static float[] flat(int level) {
    float[] x = new float[N];
    Arrays.fill(x, Pixels.level(level));
    return x;
  }

  private static float[] alternating() {
    float[] w = new float[N];
    for (int i = 0; i < N; i++) {
      w[i] = i % 2 == 0 ? 1f : -1f;
    }
    return w;
  }

  private static float[] negated(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }
}
