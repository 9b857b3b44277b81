package io.advlab.defence;

/**
 * One random transform of the randomization defence: the image is resized to
 * {@code height x width}, optionally flipped left-right, and placed with its top-left corner at
 * ({@code top}, {@code left}) on a zero canvas of the model's input size.
 */
public record Draw(int height, int width, int top, int left, boolean flip) {}
