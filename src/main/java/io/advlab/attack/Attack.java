package io.advlab.attack;

import java.util.List;

/**
 * One running attack as a state machine driven one gradient step at a time, so that the steps of
 * different requests (PGD, FGSM, DeepFool alike) can share a batch in the {@link GradientScheduler}.
 * The driver asks {@link #next()} for the rows to evaluate, submits them, and hands the results to
 * {@link #accept(List)}, until {@code next()} is empty or the deadline passes.
 */
interface Attack {

  /** The rows whose logits and gradients the attack needs next; empty when it is finished. */
  List<GradientRow> next();

  /** The results for the rows of the last {@link #next()}, in the same order. */
  void accept(List<GradientResult> results);

  /** The best adversarial image so far, on the 8-bit grid (see {@link Pixels}). */
  float[] adversarial();

  /** Gradient steps taken so far. */
  int iterations();

  /** The L∞ bound the result respects (checked again after PNG decoding), or -1 when there is none. */
  double linfBound();

  /** The L2 bound the result respects (checked again after PNG decoding), or -1 when there is none. */
  double l2Bound();

  /**
   * Frees what the attack holds outside the JVM heap (an iterate on the model's device); called
   * once it has ended, finished or not. {@link #adversarial()} stays readable.
   */
  default void release() {}
}
