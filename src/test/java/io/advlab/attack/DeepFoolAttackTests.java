package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DeepFool on a linear two-class model f(x) = w.x + c, whose boundary is a hyperplane: the
 * minimal perturbation is {@code |f| / ||w||2} along w (L2) or {@code |f| / ||w||1} along sign(w)
 * (L∞), and DeepFool must land just past it in one step, up to its overshoot and 8-bit rounding.
 */
class DeepFoolAttackTests {

  private static final int N = 12;
  private static final float[] W = {0.5f, -0.25f, 0.1f, 0.4f, -0.3f, 0.2f, 0.05f, -0.45f, 0.35f, -0.15f, 0.3f, 0.25f};
  private static final double GAP = 0.2;
  private static final double OVERSHOOT = 0.02;

  @Test
  void l2LandsJustPastTheBoundaryWithTheMinimalNorm() {
    float[] x = image();
    LinearClassifier model = model(x);
    Attack deepFool = start(model, x, "l2");

    model.drive(deepFool, () -> {});
    assertThat(deepFool.iterations()).as("one step crosses a linear boundary").isEqualTo(1);

    float[] delta = Pixels.sub(deepFool.adversarial(), x);
    double minimal = GAP / Pixels.l2(W);
    double rounding = Math.sqrt(N) * 0.5 / 255;
    assertThat(model.classify(deepFool.adversarial())).isEqualTo(1);
    assertThat(Pixels.l2(delta)).isBetween(minimal, (1 + OVERSHOOT) * (minimal + 1e-4) + rounding);
    assertThat(cosine(delta, W)).as("along the boundary's normal").isGreaterThan(0.99);
  }

  @Test
  void linfLandsJustPastTheBoundaryWithTheMinimalNorm() {
    float[] x = image();
    LinearClassifier model = model(x);
    Attack deepFool = start(model, x, "linf");

    model.drive(deepFool, () -> {});
    assertThat(deepFool.iterations()).as("one step crosses a linear boundary").isEqualTo(1);

    float[] delta = Pixels.sub(deepFool.adversarial(), x);
    double minimal = GAP / Pixels.l1(W);
    assertThat(model.classify(deepFool.adversarial())).isEqualTo(1);
    assertThat(Pixels.linf(delta)).isBetween(minimal, (1 + OVERSHOOT) * (minimal + 1e-4) + 0.5 / 255);
    for (int i = 0; i < N; i++) {
      assertThat(Math.signum(delta[i])).as("value %d moves with sign(w)", i).isEqualTo(Math.signum(W[i]));
    }
  }

  @Test
  void anAlreadyMisclassifiedInputIsLeftAlone() {
    float[] x = image();
    LinearClassifier model = model(x);
    AttackContext context = new AttackContext(x, model.logits(x), 1, null, 2, false); // label 1, model says 0
    Attack deepFool = PgdAttackTests.prepare("deepfool", new ModelShape(2, N), Map.of()).factory().apply(context);
    model.drive(deepFool, () -> {});
    assertThat(deepFool.iterations()).isZero();
    assertThat(deepFool.adversarial()).containsExactly(x);
  }

  private static Attack start(LinearClassifier model, float[] x, String norm) {
    return PgdAttackTests.prepare("deepfool", new ModelShape(2, N), Map.of("norm", norm)).factory()
        .apply(model.context(x, null));
  }

  /** Class 0 has logit 0; class 1 has w.x + c with c set so that class 1 trails by {@link #GAP} at x. */
  private static LinearClassifier model(float[] x) {
    double wx = 0;
    for (int i = 0; i < N; i++) {
      wx += (double) W[i] * x[i];
    }
    return new LinearClassifier(new float[][] {new float[N], W}, new float[] {0f, (float) (-GAP - wx)});
  }

  /** Values on the 8-bit grid between 0.35 and 0.65, so nothing clips. */
  private static float[] image() {
    float[] x = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = Pixels.level(90 + 7 * i);
    }
    return x;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / (Pixels.l2(a) * Pixels.l2(b));
  }
}
