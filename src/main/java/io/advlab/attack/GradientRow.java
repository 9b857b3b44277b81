package io.advlab.attack;

import io.advlab.defence.Draw;
import java.util.List;
import java.util.function.Predicate;

/**
 * One image (CHW floats in [0,1]) to forward and backward, with the objective whose input gradient
 * is wanted; or, with {@code iterate}, an attack's iterate on the device, which the pass evaluates
 * and steps in place ({@link DeviceIterate}): its result then carries no gradient. With
 * {@code draws} (Expectation over Transformation) the row is evaluated through each randomization
 * draw and its result is the mean over the draws: mean logits, and the gradient of the mean
 * objective with respect to the untransformed pixels.
 *
 * @param endsAt given the row's logits, whether the attack ends at this point (it succeeded) and so
 *     needs no gradient: the pass then skips the row's backward and returns a null gradient. The
 *     last DeepFool point and an early-stopping PGD's successful iterate cost a forward pass only,
 *     as in a plain loop that checks before it differentiates. Null means always; ignored for rows
 *     with draws (their logits are only known once averaged).
 * @param iterate where the image is an attack's iterate on the device, that iterate, and
 *     {@code input} is null; else null
 */
record GradientRow(float[] input, Objective objective, List<Draw> draws, Predicate<float[]> endsAt,
    DeviceIterate iterate) {

  GradientRow {
    draws = List.copyOf(draws);
    if ((input == null) == (iterate == null)) {
      throw new IllegalArgumentException("a row has either an input or an iterate");
    }
  }

  GradientRow(float[] input, Objective objective, List<Draw> draws, Predicate<float[]> endsAt) {
    this(input, objective, draws, endsAt, null);
  }

  /** A row evaluated as it is, whose gradient is always wanted. */
  GradientRow(float[] input, Objective objective) {
    this(input, objective, List.of(), null);
  }

  /** A row evaluated through {@code draws}, whose gradient is always wanted. */
  GradientRow(float[] input, Objective objective, List<Draw> draws) {
    this(input, objective, draws, null);
  }

  /** A row evaluated as it is, whose gradient is not wanted where {@code endsAt} holds. */
  static GradientRow until(float[] input, Objective objective, Predicate<float[]> endsAt) {
    return new GradientRow(input, objective, List.of(), endsAt);
  }

  /**
   * A row at an attack's iterate on the device, stepped by the pass unless {@code endsAt} holds;
   * made by {@link LinfIterate#row} and {@link DeepFoolIterate#rows}, which hand the iterate over
   * to the torch thread.
   */
  static GradientRow on(DeviceIterate iterate, Objective objective, Predicate<float[]> endsAt) {
    return new GradientRow(null, objective, List.of(), endsAt, iterate);
  }

  GradientRow withDraws(List<Draw> draws) {
    return new GradientRow(input, objective, draws, endsAt, iterate);
  }

  /**
   * What the image is: the input array or the iterate. Rows with the same image (and draws) are
   * the same network input ({@link GradientScheduler#networkRows}).
   */
  Object image() {
    return iterate != null ? iterate : input;
  }

  /** Whether this row needs its gradient, given its logits. */
  boolean wantsGradient(float[] logits) {
    return endsAt == null || !draws.isEmpty() || !endsAt.test(logits);
  }
}
