package io.advlab.model;

import java.util.ArrayList;
import java.util.List;

/** Softmax and top-k over a logit vector, in double precision. */
public final class Predictions {

  private Predictions() {}

  public static List<Prediction> topK(float[] logits, Labels labels, int k) {
    double[] probabilities = softmax(logits);
    List<Prediction> out = new ArrayList<>();
    for (int i : top(logits, k)) {
      Labels.Label label = labels.get(i);
      out.add(new Prediction(i, label.name(), label.wnid(), probabilities[i], logits[i]));
    }
    return out;
  }

  /**
   * The indices of the {@code k} largest logits, largest first, equal logits in index order (as a
   * stable sort by {@link Float#compare}, descending, orders them), found in one pass that keeps
   * the best {@code k} so far: sorting all 1000 boxed indices was a few percent of a
   * classification's Java time.
   */
  static int[] top(float[] logits, int k) {
    int n = Math.min(k, logits.length);
    int[] best = new int[n];
    int size = 0;
    for (int i = 0; i < logits.length; i++) {
      if (size == n) {
        if (n == 0 || Float.compare(logits[i], logits[best[n - 1]]) <= 0) {
          continue;
        }
        size--;
      }
      int at = size;
      while (at > 0 && Float.compare(logits[i], logits[best[at - 1]]) > 0) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
      size++;
    }
    return best;
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
