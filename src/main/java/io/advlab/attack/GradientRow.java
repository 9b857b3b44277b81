package io.advlab.attack;

import io.advlab.defence.Draw;
import java.util.List;

/**
 * One image (CHW floats in [0,1]) to forward and backward, with the objective whose input gradient
 * is wanted. With {@code draws} (Expectation over Transformation) the row is evaluated through each
 * randomization draw and its result is the mean over the draws: mean logits, and the gradient of
 * the mean objective with respect to the untransformed pixels.
 */
record GradientRow(float[] input, Objective objective, List<Draw> draws) {

  GradientRow {
    draws = List.copyOf(draws);
  }

  /** A row evaluated as it is. */
  GradientRow(float[] input, Objective objective) {
    this(input, objective, List.of());
  }

  GradientRow withDraws(List<Draw> draws) {
    return new GradientRow(input, objective, draws);
  }
}
