package io.advlab.attack;

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

  /**
   * The row's logits and gradient. A row at an iterate on the device is answered as the scheduler
   * answers it: evaluated at the iterate's point and stepped there (on the CPU engine), unless its
   * {@code endsAt} holds, with no gradient in the result.
   */
  GradientResult evaluate(GradientRow row) {
    if (row.iterate() == null) {
      return evaluate(row.input(), row.objective());
    }
    return TorchThread.get(() -> {
      try (NDManager pass = NDManager.newBaseManager()) {
        Shape shape = new Shape(w[0].length);
        GradientResult at = evaluate(row.iterate().point(pass, shape).toFloatArray(), row.objective());
        if (row.wantsGradient(at.logits())) {
          LinfIterate.stepAll(List.of(row.iterate()), List.of(pass.create(at.gradient(), shape)));
        }
        return new GradientResult(at.logits(), null);
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
   * L∞ attack's state then moves to the "device", here the CPU engine ({@link #evaluate}).
   */
  AttackContext context(float[] x, Integer target) {
    float[] z = logits(x);
    return new AttackContext(x, z, Predictions.argmax(z), target, w.length, true);
  }

  /** {@link #context(float[], Integer)} as on a CPU, where an L∞ attack's state stays in the JVM. */
  AttackContext hostContext(float[] x, Integer target) {
    float[] z = logits(x);
    return new AttackContext(x, z, Predictions.argmax(z), target, w.length, false);
  }

  /** Answers the attack's rows until it is finished, then releases it; returns the number of steps. */
  int drive(Attack attack, Runnable afterEachStep) {
    int steps = 0;
    for (List<GradientRow> rows = attack.next(); !rows.isEmpty(); rows = attack.next()) {
      List<GradientResult> results = new ArrayList<>();
      rows.forEach(r -> results.add(evaluate(r)));
      attack.accept(results);
      afterEachStep.run();
      steps++;
    }
    attack.release();
    return steps;
  }
}
