package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PredictionsTests {

  /**
   * The one-pass selection gives the order the full stable sort gave: largest first, equal logits
   * (many, from a few distinct values) in index order, -0.0 below 0.0 and NaN above all as
   * {@link Float#compare} has them, for k from 0 to past the number of classes.
   */
  @Test
  void topIndicesAreWhatAStableDescendingSortGives() {
    SplittableRandom random = new SplittableRandom(5);
    float[] values = {-1f, -0f, 0f, 0.5f, 2f, Float.NaN, Float.NEGATIVE_INFINITY};
    for (int round = 0; round < 200; round++) {
      int classes = 1 + random.nextInt(40);
      float[] logits = new float[classes];
      for (int i = 0; i < classes; i++) {
        logits[i] = round % 2 == 0 ? values[random.nextInt(values.length)] : (float) random.nextGaussian();
      }
      int[] sorted = IntStream.range(0, classes).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> logits[i]).reversed()).mapToInt(Integer::intValue)
          .toArray();
      for (int k = 0; k <= classes + 1; k++) {
        int[] expected = java.util.Arrays.copyOf(sorted, Math.min(k, classes));
        assertThat(Predictions.top(logits, k)).as("round %d, k %d of %s", round, k, java.util.Arrays.toString(logits))
            .containsExactly(expected);
      }
    }
  }
}
