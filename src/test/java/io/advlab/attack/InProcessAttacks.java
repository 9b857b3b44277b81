package io.advlab.attack;

import io.advlab.model.ClassifierModel;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * advlab's attack loop alone, for benchmarks outside this package: the image is already decoded
 * and preprocessed, so what is timed is {@link AttackRunner} driving the attack's state machine
 * through the model's {@link GradientScheduler}, exactly as a request does after decoding (no
 * HTTP, no PNG, no classification of the result). Concurrent callers share gradient batches.
 */
public final class InProcessAttacks {

  /** The longest deadline advlab allows by default, so that slow machines time, not cut, the attack. */
  static final long DEADLINE_MS = 120_000;

  private InProcessAttacks() {}

  /**
   * One attack of {@code method} with {@code params} on {@code x} (CHW pixels in [0,1]) against the
   * default model; each call returns the attack's iterations and fails when the deadline cut it short.
   */
  public static Callable<Integer> attack(ConfigurableApplicationContext context, String method,
      Map<String, Object> params, float[] x) {
    AttackTargets targets = context.getBean(AttackTargets.class);
    AttackPlanner planner = context.getBean(AttackPlanner.class);
    AttackRunner runner = context.getBean(AttackRunner.class);
    return () -> targets.with(null, target -> {
      AttackPlan plan = planner.plan(target.shape(), method, params, null, DEADLINE_MS);
      AttackRun run = runner.run(target, plan, Defended.NONE, x, System.nanoTime() + plan.budgetNanos());
      if (!run.completed()) {
        throw new IllegalStateException(method + " hit its deadline");
      }
      return run.attack().iterations();
    });
  }

  /**
   * One bare forward+backward pass to the input at batch 1 on {@code x}, as an attack step runs it
   * on the gradient instance ({@link AttackBenchmark}'s): the median milliseconds of {@code passes}
   * after one unmeasured.
   */
  public static double bareStepMs(ClassifierModel model, float[] x, int passes) {
    return AttackBenchmark.batchedPassMs(model, x, 1, passes);
  }

  /** {@link AttackBenchmark}'s bare PGD-10 loop on {@code x}, in milliseconds. */
  public static double barePgd10Ms(ClassifierModel model, float[] x) {
    return AttackBenchmark.bare(model, x);
  }
}
