package io.advlab.attack;

import java.util.List;

/** The negative image 1 - x (Hosseini and Poovendran 2017), on the 8-bit grid. */
final class SemanticAttack implements Attack {

  private final float[] result;

  SemanticAttack(AttackContext context) {
    float[] x = context.input();
    float[] negative = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      negative[i] = 1f - x[i];
    }
    this.result = Pixels.quantize(negative);
  }

  @Override
  public List<GradientRow> next() {
    return List.of();
  }

  @Override
  public void accept(List<GradientResult> results) {
    throw new IllegalStateException("semantic needs no gradients");
  }

  @Override
  public float[] adversarial() {
    return result;
  }

  @Override
  public int iterations() {
    return 0;
  }

  @Override
  public double linfBound() {
    return -1;
  }
}
