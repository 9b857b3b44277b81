package io.advlab.evaluate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which images of a data set an evaluation attacks: all of them in the data set's order, or a
 * sample drawn with the job's seed, so the same request and seed give the same images.
 */
final class ImageSample {

  private ImageSample() {}

  /** {@code count} indices into a data set of {@code size} images, ascending. */
  static List<Integer> of(int size, int count, long seed) {
    List<Integer> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(i);
    }
    if (count >= size) {
      return all;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = size - 1; i > 0; i--) {
      Collections.swap(all, i, random.nextInt(i + 1));
    }
    List<Integer> sample = new ArrayList<>(all.subList(0, count));
    Collections.sort(sample);
    return sample;
  }
}
