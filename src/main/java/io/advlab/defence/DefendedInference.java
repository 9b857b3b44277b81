package io.advlab.defence;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.InferenceBatcher;
import io.advlab.model.Predictions;
import io.advlab.model.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/**
 * Classification through the randomization defence: the input transformed by each of the
 * defence's draws ({@link Defence#judgingDraws}), the draws forwarded together through the
 * model's inference pool, and the softmax averaged over them.
 */
public final class DefendedInference {

  private DefendedInference() {}

  /**
   * The log of the softmax averaged over the draws: "logits" whose softmax is the averaged
   * probability, so top-k, argmax and success checks read them like plain logits.
   *
   * @param x the preprocessed input (CHW floats in [0,1])
   */
  public static float[] logits(InferenceBatcher batcher, Preprocessing preprocessing, Defence defence, float[] x) {
    List<float[]> inputs = transformed(preprocessing, defence.judgingDraws(preprocessing.height(),
        preprocessing.width()), x);
    return averaged(batcher.logitsTogether(inputs));
  }

  /** {@code x} transformed by every draw, as inputs of the model's size. */
  static List<float[]> transformed(Preprocessing preprocessing, List<Draw> draws, float[] x) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray image = manager.create(x, new Shape(1, 3, preprocessing.height(), preprocessing.width()));
      float[] flat = Randomization.apply(image, draws).toFloatArray();
      List<float[]> out = new ArrayList<>(draws.size());
      for (int i = 0; i < draws.size(); i++) {
        float[] row = new float[x.length];
        System.arraycopy(flat, i * x.length, row, 0, x.length);
        out.add(row);
      }
      return out;
    }
  }

  /** log(mean over rows of softmax(row)). */
  static float[] averaged(List<float[]> logits) {
    double[] mean = new double[logits.get(0).length];
    for (float[] row : logits) {
      double[] p = Predictions.softmax(row);
      for (int c = 0; c < mean.length; c++) {
        mean[c] += p[c] / logits.size();
      }
    }
    float[] out = new float[mean.length];
    for (int c = 0; c < mean.length; c++) {
      out[c] = (float) Math.log(mean[c]);
    }
    return out;
  }
}
