package io.advlab.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Images decoded once into the model's input (CHW floats in [0,1], as served images are
 * preprocessed) with their label indices, kept in memory for the whole job: decoding every image
 * every epoch would cost more than training a small model on it.
 *
 * @param pixels one array of {@code 3·H·W} floats per image
 * @param labels the model's label index of each image
 */
record TrainingData(List<float[]> pixels, int[] labels) {

  int size() {
    return labels.length;
  }

  /** The images at {@code indices}, in that order. */
  TrainingData subset(List<Integer> indices) {
    List<float[]> p = new ArrayList<>(indices.size());
    int[] l = new int[indices.size()];
    for (int i = 0; i < indices.size(); i++) {
      p.add(pixels.get(indices.get(i)));
      l[i] = labels[indices.get(i)];
    }
    return new TrainingData(p, l);
  }

  /** Indices 0..size-1 shuffled with {@code seed}: the same seed gives the same order. */
  static List<Integer> shuffled(int size, long seed) {
    List<Integer> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(i);
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = size - 1; i > 0; i--) {
      Collections.swap(all, i, random.nextInt(i + 1));
    }
    return all;
  }

  /**
   * Splits off a seeded share for validation: {@code [training, validation]}, disjoint, together
   * every image once.
   */
  List<TrainingData> split(double validationShare, long seed) {
    List<Integer> order = shuffled(size(), seed);
    int validation = Math.max(1, (int) Math.round(size() * validationShare));
    List<Integer> v = new ArrayList<>(order.subList(0, validation));
    List<Integer> t = new ArrayList<>(order.subList(validation, size()));
    Collections.sort(v);
    Collections.sort(t);
    return List.of(subset(t), subset(v));
  }
}
