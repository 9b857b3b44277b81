package io.advlab.attack;

import io.advlab.model.Predictions;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Classifies the original and drives the attack's state machine through the target's
 * {@link GradientScheduler}, one step at a time, until the attack finishes or the deadline passes.
 * FGSM and PGD without random start climb the gradient at the clean input first: the pass that
 * takes that step classifies the original too, which saves a forward pass; the others classify it
 * on the inference pool. Against a defence the original is judged through it, and with EOT every
 * step's rows carry fresh random draws of the defence ({@link Eot}).
 */
@Component
class AttackRunner {

  /**
   * @param defended the defence the original and result are judged through, and the EOT draws per step
   * @param deadline {@code System.nanoTime()} by which the attack must end
   */
  AttackRun run(AttackTarget target, AttackPlan plan, Defended defended, float[] x, long deadline) {
    return run(target, plan, defended, x, deadline, false);
  }

  /** As {@link #run(AttackTarget, AttackPlan, Defended, float[], long)}; {@code background} attacks give way to interactive ones. */
  AttackRun run(AttackTarget target, AttackPlan plan, Defended defended, float[] x, long deadline, boolean background) {
    AttackMethod.Prepared prepared = plan.prepared();
    try (GradientScheduler.Session session = target.scheduler().open(background)) {
      boolean shareFirstPass = prepared.firstStepAtInput() && defended.defence() == null;
      GradientResult first = shareFirstPass ? firstStep(session, plan, x, deadline) : null;
      float[] originalLogits = first != null ? first.logits() : defended.judge(target, x);
      long classified = System.nanoTime();
      AttackContext context = new AttackContext(x, originalLogits,
          plan.label() != null ? plan.label() : Predictions.argmax(originalLogits), plan.targetClass(),
          target.model().classes());
      Attack attack = prepared.factory().apply(context);
      if (first != null) {
        List<GradientRow> rows = attack.next();
        if (rows.size() != 1 || rows.get(0).input() != x || !rows.get(0).objective().equals(context.objective())) {
          throw new IllegalStateException("the attack does not start with one step at the clean input");
        }
        attack.accept(List.of(first));
      }
      boolean completed = drive(session, attack, defended.newEot(target.model().preprocessing()), deadline);
      return new AttackRun(context, attack, completed, classified, System.nanoTime());
    }
  }

  /**
   * The first step of an attack that starts at the clean input, with the objective it will use
   * ({@link AttackContext#objective()}), taken before the original's top-1 is known; null when the
   * deadline passes first.
   */
  private static GradientResult firstStep(GradientScheduler.Session session, AttackPlan plan, float[] x,
      long deadline) {
    List<GradientResult> results = step(session,
        List.of(new GradientRow(x, Objective.of(plan.targetClass(), plan.label()))), deadline);
    return results == null ? null : results.get(0);
  }

  /**
   * Steps the attack through the scheduler until it is finished (true) or the deadline passes
   * (false), submitting through the attack's scheduler session, so batches wait for its steps.
   *
   * @param eot the draws each step is taken through, or null
   */
  private static boolean drive(GradientScheduler.Session session, Attack attack, Eot eot, long deadline) {
    while (true) {
      List<GradientRow> rows = attack.next();
      if (rows.isEmpty()) {
        return true;
      }
      List<GradientResult> results = step(session, eot == null ? rows : eot.decorate(rows), deadline);
      if (results == null) {
        return false;
      }
      attack.accept(results);
    }
  }

  /** Results of one scheduler step, or null (step dropped) when the deadline passes first. */
  private static List<GradientResult> step(GradientScheduler.Session session, List<GradientRow> rows, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return null;
    }
    CompletableFuture<List<GradientResult>> step = session.submit(rows);
    try {
      return step.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | CancellationException e) {
      step.cancel(false);
      return null;
    } catch (InterruptedException e) {
      step.cancel(false);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while attacking", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("gradient step failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
