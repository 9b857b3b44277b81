package io.advlab.attack;

import io.advlab.model.Predictions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016), L2 or L∞. Each iteration evaluates the current point
 * once per candidate class in one batch: row k's objective is {@code logit[k] - logit[original]},
 * so a single batched backward yields every candidate's boundary normal. The point is
 * {@code x + (1 + overshoot) * r} rounded to the 8-bit grid, so the attack stops only once the image
 * the client receives is adversarial.
 */
final class DeepFoolAttack implements Attack {

  private final AttackContext context;
  private final float[] x;
  private final float[] total;
  private final int[] others;
  private final double overshoot;
  private final int maxIter;
  private final Norm norm;
  private int iteration;
  private boolean done;

  DeepFoolAttack(AttackContext context, double overshoot, int maxIter, int candidates, Norm norm) {
    this.context = context;
    this.x = context.input();
    this.total = new float[x.length];
    this.overshoot = overshoot;
    this.maxIter = maxIter;
    this.norm = norm;
    float[] logits = context.originalLogits();
    this.others = IntStream.range(0, logits.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> logits[i]).reversed())
        .limit(candidates)
        .filter(i -> i != context.sourceLabel())
        .mapToInt(Integer::intValue).toArray();
  }

  @Override
  public List<GradientRow> next() {
    if (done || iteration >= maxIter || others.length == 0) {
      return List.of();
    }
    float[] point = adversarial();
    List<GradientRow> rows = new ArrayList<>(others.length);
    for (int k : others) {
      rows.add(GradientRow.until(point, Objective.margin(k, context.sourceLabel()),
          logits -> Predictions.argmax(logits) != context.sourceLabel()));
    }
    return rows;
  }

  @Override
  public void accept(List<GradientResult> results) {
    float[] logits = results.get(0).logits();
    if (Predictions.argmax(logits) != context.sourceLabel()) {
      done = true;
      return;
    }
    double best = Double.POSITIVE_INFINITY;
    float[] bestNormal = null;
    double bestNormalLength = 0;
    for (int j = 0; j < others.length; j++) {
      float[] w = results.get(j).gradient();
      double f = logits[others[j]] - logits[context.sourceLabel()];
      double length = norm == Norm.L2 ? Pixels.l2(w) : Pixels.l1(w);
      double distance = Math.abs(f) / (length + 1e-8);
      if (distance < best) {
        best = distance;
        bestNormal = w;
        bestNormalLength = length;
      }
    }
    if (bestNormal == null || bestNormalLength == 0) {
      done = true;
      return;
    }
    double scale = best + 1e-4;
    if (norm == Norm.L2) {
      double l2 = Pixels.l2(bestNormal);
      for (int i = 0; i < total.length; i++) {
        total[i] += (float) (scale * bestNormal[i] / l2);
      }
    } else {
      double deadband = PgdAttack.SIGN_DEADBAND * Pixels.linf(bestNormal);
      for (int i = 0; i < total.length; i++) {
        if (Math.abs(bestNormal[i]) > deadband) {
          total[i] += (float) (scale * Math.signum(bestNormal[i]));
        }
      }
    }
    iteration++;
  }

  @Override
  public float[] adversarial() {
    float[] point = new float[x.length];
    float factor = (float) (1 + overshoot);
    for (int i = 0; i < x.length; i++) {
      point[i] = x[i] + factor * total[i];
    }
    return Pixels.quantize(point);
  }

  @Override
  public int iterations() {
    return iteration;
  }

  @Override
  public double linfBound() {
    return -1;
  }

  @Override
  public double l2Bound() {
    return -1;
  }
}
