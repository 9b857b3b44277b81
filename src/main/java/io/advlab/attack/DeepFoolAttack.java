package io.advlab.attack;

import io.advlab.model.Predictions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016), L2 or L∞. Each iteration evaluates the current point
 * once per candidate class in one batch: row k's objective is {@code logit[k] - logit[original]},
 * so a single batched backward yields every candidate's boundary normal. The point is
 * {@code x + (1 + overshoot) * r} rounded to the 8-bit grid, so the attack stops only once the image
 * the client receives is adversarial.
 *
 * <p>On a GPU ({@link AttackContext#stateOnDevice()}) the point and r live on the device in a
 * {@link DeepFoolIterate}, which the pass steps: only the logits and one length per candidate come
 * back to the JVM, not a gradient per candidate (nine 224x224 gradients are 5.4 MB per iteration).
 * Both take the step {@link #choose} picks and compute the same floats.
 */
final class DeepFoolAttack implements Attack {

  /**
   * The candidate DeepFool steps towards: its index among the candidates, the step's length
   * ({@code |f| / ‖w‖ + 1e-4}, with the dual norm of the attack's) and ‖w‖.
   */
  record Choice(int candidate, double scale, double length) {}

  private final AttackContext context;
  private final float[] x;
  private final float[] total;
  private final int[] others;
  private final double overshoot;
  private final int maxIter;
  private final Norm norm;
  /** The state on the device, or null where it stays in {@link #total}. */
  private final DeepFoolIterate iterate;
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
    this.iterate = context.stateOnDevice()
        ? new DeepFoolIterate(x, context.sourceLabel(), others, norm, factor()) : null;
  }

  private float factor() {
    return (float) (1 + overshoot);
  }

  @Override
  public List<GradientRow> next() {
    if (done || iteration >= maxIter || others.length == 0) {
      return List.of();
    }
    Predicate<float[]> endsAt = logits -> Predictions.argmax(logits) != context.sourceLabel();
    if (iterate != null) {
      return iterate.rows(endsAt);
    }
    float[] point = adversarial();
    List<GradientRow> rows = new ArrayList<>(others.length);
    for (int k : others) {
      rows.add(GradientRow.until(point, Objective.margin(k, context.sourceLabel()), endsAt));
    }
    return rows;
  }

  /**
   * The results of one iteration's rows. Rows on the device come back without gradients: the pass
   * has already taken the step, unless the point was adversarial or no candidate had a normal.
   */
  @Override
  public void accept(List<GradientResult> results) {
    float[] logits = results.get(0).logits();
    if (Predictions.argmax(logits) != context.sourceLabel()) {
      done = true;
      return;
    }
    if (iterate != null) {
      if (iterate.stalled()) {
        done = true;
      } else {
        iteration++;
      }
      return;
    }
    double[] lengths = new double[others.length];
    for (int j = 0; j < others.length; j++) {
      float[] w = results.get(j).gradient();
      lengths[j] = norm == Norm.L2 ? Pixels.l2(w) : Pixels.l1(w);
    }
    Choice choice = choose(logits, context.sourceLabel(), others, lengths);
    if (choice == null) {
      done = true;
      return;
    }
    float[] bestNormal = results.get(choice.candidate()).gradient();
    double scale = choice.scale();
    if (norm == Norm.L2) {
      double l2 = choice.length();
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

  /**
   * The candidate whose linearized boundary is nearest, {@code |f_k| / ‖w_k‖} with
   * {@code f_k = logit[k] - logit[source]}, given each candidate's normal length; null when none
   * has a normal to step along.
   */
  static Choice choose(float[] logits, int source, int[] others, double[] lengths) {
    double best = Double.POSITIVE_INFINITY;
    int candidate = -1;
    for (int j = 0; j < others.length; j++) {
      double f = logits[others[j]] - logits[source];
      double distance = Math.abs(f) / (lengths[j] + 1e-8);
      if (distance < best) {
        best = distance;
        candidate = j;
      }
    }
    if (candidate < 0 || lengths[candidate] == 0) {
      return null;
    }
    return new Choice(candidate, best + 1e-4, lengths[candidate]);
  }

  @Override
  public float[] adversarial() {
    if (iterate != null) {
      return iterate.image();
    }
    float[] point = new float[x.length];
    float factor = factor();
    for (int i = 0; i < x.length; i++) {
      point[i] = x[i] + factor * total[i];
    }
    return Pixels.quantize(point);
  }

  /** Frees the iterate's device tensors; {@link #adversarial()} stays readable. */
  @Override
  public void release() {
    if (iterate != null) {
      iterate.release();
    }
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
