package io.advlab.attack;

/**
 * What one batch row gave back: the logits at the row's input and the gradient of the row's
 * {@link Objective} with respect to the input pixels (same layout as the input), or null when the
 * row said it needed none ({@link GradientRow#endsAt()}).
 */
record GradientResult(float[] logits, float[] gradient) {}
