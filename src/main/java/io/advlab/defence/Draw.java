package io.advlab.defence;

/**
 * One random transform of the randomization defence: the image is resized to
 * {@code height x width}, optionally flipped left-right, and placed with its top-left corner at
 * ({@code top}, {@code left}) on a zero canvas of {@code canvasHeight x canvasWidth}: the model's
 * input size, or larger for models that accept it ({@link Defence#padSize()}).
 */
public record Draw(int height, int width, int top, int left, boolean flip, int canvasHeight, int canvasWidth) {

  /** Floats of one transformed image (3 channels). */
  public int canvasSize() {
    return 3 * canvasHeight * canvasWidth;
  }
}
