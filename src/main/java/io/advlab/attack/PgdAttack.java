package io.advlab.attack;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Projected gradient descent (Madry et al. 2018), and FGSM/FGM as its one-step special case. Each
 * iterate after a step is evaluated at its 8-bit rounding inside the eps-ball ({@link
 * Pixels#toGrid} for L∞, {@link Pixels#toL2Grid} for L2), so the early stop and the returned image see exactly what the PNG will hold,
 * while the float iterate keeps accumulating steps smaller than a gray level. Without a random
 * start the first step is taken at the clean input itself, as in the papers. {@link PgdMethod} and
 * {@link FgsmMethod} configure it.
 *
 * <p>An L∞ attack keeps its state in a {@link LinfIterate}. On a GPU
 * ({@link AttackContext#stateOnDevice()}) it moves to the device at the first pass that evaluates
 * it: from then on the {@link GradientScheduler} takes each step inside the pass, and the rows
 * carry no image. On a CPU it stays in the JVM, as does an L2 iterate, since its rounding into the
 * ball ({@link Pixels#toL2Grid}) is a greedy sequence of moves, not a tensor operation.
 */
final class PgdAttack implements Attack {

  /**
   * @param eps budget in pixel units (L∞ per value or L2 length)
   * @param stepSize size of each step (L∞ per value or L2 length)
   * @param steps number of gradient steps
   * @param randomStart start from a uniformly random point of the ball
   * @param norm the budget's norm
   * @param earlyStop stop once the 8-bit iterate succeeds
   * @param seed seed of the random start
   */
  record Config(double eps, double stepSize, int steps, boolean randomStart, Norm norm, boolean earlyStop,
      long seed) {}

  /**
   * Gradient components smaller than this fraction of the largest count as zero in a sign step: a
   * batched convolution rounds differently from a single image's (about 1e-7), and the sign of a
   * near-zero component must not depend on which other requests shared the batch.
   */
  static final double SIGN_DEADBAND = 1e-5;

  private final AttackContext context;
  private final Config config;
  private final float[] x;
  /** The L2 perturbation; null for L∞, whose state is {@link #iterate}. */
  private final float[] delta;
  private final Objective objective;
  /** The L∞ state, on the host or the device; null for L2. */
  private final LinfIterate iterate;
  private int step;
  private boolean stopped;

  PgdAttack(AttackContext context, Config config) {
    this.context = context;
    this.config = config;
    this.x = context.input();
    float[] start = new float[x.length];
    if (config.randomStart()) {
      randomStart(start, new SplittableRandom(config.seed()));
    }
    this.objective = context.objective();
    boolean linf = config.norm() == Norm.LINF;
    this.delta = linf ? null : start;
    this.iterate = linf ? new LinfIterate(x, start, config.eps(), config.stepSize()) : null;
  }

  private void randomStart(float[] delta, SplittableRandom random) {
    if (config.norm() == Norm.LINF) {
      for (int i = 0; i < delta.length; i++) {
        delta[i] = (float) (config.eps() * (2 * random.nextDouble() - 1));
      }
    } else {
      for (int i = 0; i < delta.length; i++) {
        delta[i] = (float) (2 * random.nextDouble() - 1);
      }
      double length = Pixels.l2(delta);
      double radius = config.eps() * random.nextDouble();
      for (int i = 0; i < delta.length; i++) {
        delta[i] *= (float) (radius / length);
      }
    }
    Pixels.project(delta, x, config.eps(), config.norm());
  }

  @Override
  public List<GradientRow> next() {
    if (stopped || step >= config.steps()) {
      return List.of();
    }
    Predicate<float[]> endsAt = config.earlyStop() ? context::succeeds : null;
    if (step == 0 && !config.randomStart()) {
      return List.of(GradientRow.until(x, objective, endsAt));
    }
    if (iterate != null && context.stateOnDevice()) {
      return List.of(iterate.row(objective, endsAt));
    }
    return List.of(GradientRow.until(adversarial(), objective, endsAt));
  }

  /**
   * The result of the last step. A row on the device arrives already stepped (or, where it
   * succeeded and stops, not stepped: the pass skipped its gradient) and without a gradient.
   */
  @Override
  public void accept(List<GradientResult> results) {
    GradientResult result = results.get(0);
    if (config.earlyStop() && context.succeeds(result.logits())) {
      stopped = true;
      return;
    }
    float[] g = result.gradient();
    if (iterate != null) {
      if (g != null) {
        iterate.step(g);
      }
    } else {
      double length = Pixels.l2(g);
      if (length > 0) {
        float s = (float) (config.stepSize() / length);
        for (int i = 0; i < delta.length; i++) {
          delta[i] += s * g[i];
        }
      }
      Pixels.project(delta, x, config.eps(), config.norm());
    }
    step++;
  }

  @Override
  public float[] adversarial() {
    return iterate != null ? iterate.image() : Pixels.toL2Grid(Pixels.add(x, delta), x, config.eps());
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
    return step;
  }

  @Override
  public double linfBound() {
    return config.norm() == Norm.LINF ? config.eps() : -1;
  }

  @Override
  public double l2Bound() {
    return config.norm() == Norm.L2 ? config.eps() : -1;
  }
}
