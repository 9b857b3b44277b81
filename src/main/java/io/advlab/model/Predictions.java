package io.advlab.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Softmax and top-k over a logit vector, in double precision. */
public final class Predictions {

  private Predictions() {}

  public static List<Prediction> topK(float[] logits, Labels labels, int k) {
    double[] probabilities = softmax(logits);
    List<Integer> order = IntStream.range(0, logits.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> logits[i]).reversed()).toList();
    List<Prediction> out = new ArrayList<>();
    for (int i : order.subList(0, Math.min(k, logits.length))) {
      Labels.Label label = labels.get(i);
      out.add(new Prediction(i, label.name(), label.wnid(), probabilities[i], logits[i]));
    }
    return out;
  }

  public static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Probabilities from logits, computed stably (the largest logit subtracted first). */
  public static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = Math.exp(logits[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= sum;
    }
    return out;
  }
}
