package io.advlab.attack;

/**
 * One image (CHW floats in [0,1]) to forward and backward, with the objective whose input gradient
 * is wanted.
 */
record GradientRow(float[] input, Objective objective) {}
