package io.advlab.attack;

import java.util.List;

/**
 * A gradient-free attack whose image is computed up front ({@code noise}, {@code semantic}): it has
 * no steps for the scheduler.
 *
 * @param adversarial the result, on the 8-bit grid
 * @param linfBound the L∞ bound the result respects, or -1 when there is none
 */
record ComputedAttack(float[] adversarial, double linfBound) implements Attack {

  @Override
  public List<GradientRow> next() {
    return List.of();
  }

  @Override
  public void accept(List<GradientResult> results) {
    throw new IllegalStateException("a gradient-free attack takes no gradient results");
  }

  @Override
  public int iterations() {
    return 0;
  }

  @Override
  public double l2Bound() {
    return -1;
  }
}
