package io.advlab.defence;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.advlab.model.TorchThread;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.ClassifierModel;
import io.advlab.model.InferenceBatcher;
import io.advlab.model.Predictions;
import io.advlab.model.Preprocessing;
import io.advlab.problem.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    List<Draw> draws = defence.judgingDraws(preprocessing.height(), preprocessing.width());
    List<float[]> inputs = transformed(preprocessing, draws, x);
    return averaged(batcher.logitsTogether(inputs, draws.get(0).canvasHeight(), draws.get(0).canvasWidth()));
  }

  /**
   * A request's {@code defence} object read for {@code model} ({@link Defence#parse}), or null; a
   * canvas the model cannot take (a larger {@code padSize} on a network with a fixed input size) is
   * a 400 naming {@code defence.padSize} before anything runs.
   */
  public static Defence parse(Map<String, Object> raw, ClassifierModel model) {
    Defence defence = Defence.parse(raw, model.preprocessing().height());
    if (defence != null && defence.largerCanvas(model.preprocessing().height())) {
      requireAccepted(model, defence);
    }
    return defence;
  }

  private static void requireAccepted(ClassifierModel model, Defence defence) {
    int height = model.preprocessing().height();
    int width = model.preprocessing().width();
    int canvasWidth = defence.padWidth(height, width);
    if (!model.accepts(defence.padSize(), canvasWidth)) {
      throw ApiException.invalidField("defence.padSize", "'defence.padSize' " + defence.padSize() + " needs inputs of "
          + defence.padSize() + " x " + canvasWidth + " pixels, which model '" + model.name() + "' does not accept (its"
          + " input is " + height + " x " + width + "); leave padSize out to pad back to " + height + ".");
    }
  }

  /** {@code x} transformed by every draw, as inputs of the draws' canvas size. */
  static List<float[]> transformed(Preprocessing preprocessing, List<Draw> draws, float[] x) {
    return TorchThread.get(() -> transformedOnTorchThread(preprocessing, draws, x));
  }

  private static List<float[]> transformedOnTorchThread(Preprocessing preprocessing, List<Draw> draws, float[] x) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray image = manager.create(x, new Shape(1, 3, preprocessing.height(), preprocessing.width()));
      float[] flat = Randomization.apply(image, draws).toFloatArray();
      int size = draws.get(0).canvasSize();
      List<float[]> out = new ArrayList<>(draws.size());
      for (int i = 0; i < draws.size(); i++) {
        float[] row = new float[size];
        System.arraycopy(flat, i * size, row, 0, size);
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
