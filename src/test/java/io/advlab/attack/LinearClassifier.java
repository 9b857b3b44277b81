package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.Predictions;
import io.advlab.model.TorchThread;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny "network" with logits = W x + b, whose input gradients are known in closed form: the
 * gradient of CE(logits, c) is {@code sum_j (softmax_j - [j = c]) W_j}, that of a logit margin
 * {@code logit[k] - logit[o]} is {@code W_k - W_o}. It answers {@link GradientRow}s as the
 * {@link GradientScheduler} would, so attacks can be driven without a model.
 */
final class LinearClassifier {

  private final float[][] w;
  private final float[] b;

  LinearClassifier(float[][] w, float[] b) {
    this.w = w;
    this.b = b;
  }

  float[] logits(float[] x) {
    float[] z = new float[w.length];
    for (int k = 0; k < w.length; k++) {
      double sum = b[k];
      for (int i = 0; i < x.length; i++) {
        sum += (double) w[k][i] * x[i];
      }
      z[k] = (float) sum;
    }
    return z;
  }

  int classify(float[] x) {
    return Predictions.argmax(logits(x));
  }

  /** The row's logits and gradient (a row on the host). */
  GradientResult evaluate(GradientRow row) {
    return evaluate(List.of(row)).get(0);
  }

  /**
   * One step's rows, answered as the scheduler answers them. A row at an iterate on the device is
   * evaluated at the iterate's point, and the iterate is stepped there (on the CPU engine) unless
   * its rows' {@code endsAt} holds, with no gradient in the results: an L∞ iterate with its row's
   * gradient, a DeepFool iterate with all its candidates'.
   */
  List<GradientResult> evaluate(List<GradientRow> rows) {
    if (rows.get(0).iterate() == null) {
      return rows.stream().map(r -> evaluate(r.input(), r.objective())).toList();
    }
    return TorchThread.get(() -> {
      try (NDManager pass = NDManager.newBaseManager()) {
        Shape shape = new Shape(w[0].length);
        List<GradientResult> at = new ArrayList<>();
        List<NDArray> gradients = new ArrayList<>();
        for (GradientRow row : rows) {
          at.add(evaluate(row.iterate().point(pass, shape).toFloatArray(), row.objective()));
          gradients.add(pass.create(at.get(at.size() - 1).gradient(), shape));
        }
        if (rows.get(0).wantsGradient(at.get(0).logits())) {
          if (rows.get(0).iterate() instanceof LinfIterate linf) {
            LinfIterate.stepAll(List.of(linf), gradients);
          } else {
            DeepFoolIterate.stepAll(List.of(new DeepFoolIterate.Evaluated((DeepFoolIterate) rows.get(0).iterate(),
                at.stream().map(GradientResult::logits).toList(), gradients)));
          }
        }
        return at.stream().map(r -> new GradientResult(r.logits(), null)).toList();
      }
    });
  }

  private GradientResult evaluate(float[] input, Objective o) {
    float[] z = logits(input);
    double[] coefficients = new double[w.length];
    if (o.ceClass() != -1) {
      int c = o.ceClass() == Objective.OWN_TOP1 ? Predictions.argmax(z) : o.ceClass();
      double[] p = Predictions.softmax(z);
      for (int j = 0; j < w.length; j++) {
        coefficients[j] += o.ceSign() * (p[j] - (j == c ? 1 : 0));
      }
    }
    if (o.plusClass() >= 0) {
      coefficients[o.plusClass()] += 1;
    }
    if (o.minusClass() >= 0) {
      coefficients[o.minusClass()] -= 1;
    }
    float[] gradient = new float[input.length];
    for (int i = 0; i < gradient.length; i++) {
      double g = 0;
      for (int j = 0; j < w.length; j++) {
        g += coefficients[j] * w[j][i];
      }
      gradient[i] = (float) g;
    }
    return new GradientResult(z, gradient);
  }

  /**
   * The context an attack on {@code x} starts from, as {@link AttackRunner} builds it on a GPU: an
   * L∞ or DeepFool attack's state then moves to the "device", here the CPU engine ({@link #evaluate}).
   */
  AttackContext context(float[] x, Integer target) {
    float[] z = logits(x);
    return new AttackContext(x, z, Predictions.argmax(z), target, w.length, true);
  }

  /** {@link #context(float[], Integer)} as on a CPU, where an attack's state stays in the JVM. */
  AttackContext hostContext(float[] x, Integer target) {
    float[] z = logits(x);
    return new AttackContext(x, z, Predictions.argmax(z), target, w.length, false);
  }

  /** Answers the attack's rows until it is finished, then releases it; returns the number of steps. */
  int drive(Attack attack, Runnable afterEachStep) {
    int steps = 0;
    for (List<GradientRow> rows = attack.next(); !rows.isEmpty(); rows = attack.next()) {
      attack.accept(evaluate(rows));
      afterEachStep.run();
      steps++;
    }
    attack.release();
    return steps;
  }
}
