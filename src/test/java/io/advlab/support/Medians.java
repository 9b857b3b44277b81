package io.advlab.support;

import java.util.Arrays;

/** The benchmarks' one median: robust to the odd slow round this noisy machine gives any figure. */
public final class Medians {

  private Medians() {}

  /** The median of {@code values} (the mean of the middle two for an even count); {@code values} is not reordered. */
  public static double of(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
