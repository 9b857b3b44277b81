package io.advlab.attack;

import io.advlab.model.Predictions;
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

  GradientResult evaluate(GradientRow row) {
    float[] z = logits(row.input());
    Objective o = row.objective();
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
    float[] gradient = new float[row.input().length];
    for (int i = 0; i < gradient.length; i++) {
      double g = 0;
      for (int j = 0; j < w.length; j++) {
        g += coefficients[j] * w[j][i];
      }
      gradient[i] = (float) g;
    }
    return new GradientResult(z, gradient);
  }

  /** The context an attack on {@code x} starts from, as {@link AttackRunner} builds it. */
  AttackContext context(float[] x, Integer target) {
    float[] z = logits(x);
    return new AttackContext(x, z, Predictions.argmax(z), target, w.length);
  }

  /** Answers the attack's rows until it is finished; returns the number of steps. */
  int drive(Attack attack, Runnable afterEachStep) {
    int steps = 0;
    for (List<GradientRow> rows = attack.next(); !rows.isEmpty(); rows = attack.next()) {
      List<GradientResult> results = new ArrayList<>();
      rows.forEach(r -> results.add(evaluate(r)));
      attack.accept(results);
      afterEachStep.run();
      steps++;
    }
    return steps;
  }
}
