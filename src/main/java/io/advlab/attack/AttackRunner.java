package io.advlab.attack;

import io.advlab.model.Predictions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Classifies the original and drives the attack's state machine through the target's
 * {@link GradientScheduler}, one step at a time, until the attack finishes or the deadline passes.
 * FGSM and PGD without random start climb the gradient at the clean input first: the pass that
 * takes that step classifies the original too, which saves a forward pass; the others classify it
 * on the inference pool. Against a defence the original is judged through it, and with EOT every
 * step's rows carry fresh random draws of the defence ({@link Eot}).
 *
 * <p>A request is one attack on one image. An evaluation's shard is many, driven by
 * {@link #runEach} in lanes from one thread: every step of all its running attacks is submitted as
 * one scheduler job, so they arrive in the same pass together, and the originals of the attacks it
 * starts at once are classified together. One thread per image instead woke sixteen threads per
 * pass and split the passes into whatever steps had come back by then (9.7 rows of 16 on average).
 */
@Component
class AttackRunner {

  private final AttackProperties.StateOnDevice stateOnDevice;

  AttackRunner(AttackProperties properties) {
    this.stateOnDevice = properties.stateOnDevice();
  }

  /**
   * One image to attack.
   *
   * @param plan the request, checked
   * @param defended the defence the original and result are judged through, and the EOT draws per step
   * @param x the preprocessed image
   * @param start when its request started ({@code System.nanoTime()})
   * @param preprocessed when its image was decoded and preprocessed
   */
  record Image(AttackPlan plan, Defended defended, float[] x, long start, long preprocessed) {

    long deadline() {
      return start + plan.budgetNanos();
    }
  }

  /** An image of {@link #runEach} and its finished or timed-out attack. */
  record Ended(Image image, AttackRun run) {}

  /**
   * @param defended the defence the original and result are judged through, and the EOT draws per step
   * @param deadline {@code System.nanoTime()} by which the attack must end
   */
  AttackRun run(AttackTarget target, AttackPlan plan, Defended defended, float[] x, long deadline) {
    long now = System.nanoTime();
    return run(target, new Image(plan, defended, x, deadline - plan.budgetNanos(), now), false);
  }

  /** One attack, as {@link #runEach} with one lane; {@code background} attacks give way to interactive ones. */
  AttackRun run(AttackTarget target, Image image, boolean background) {
    AttackRun[] run = new AttackRun[1];
    runEach(target, 1, List.of(image).iterator(), ended -> run[0] = ended.get(0).run(), () -> false, background);
    return run[0];
  }

  /**
   * Attacks {@code images} with up to {@code lanes} attacks running at once, from the calling
   * thread: each step of all running attacks is one scheduler submission (split only where it
   * would exceed the scheduler's pass size), and a finished attack's lane takes the next image.
   * {@code finished} gets the runs that ended in one step together (PGD's lanes end at the same
   * step), so their results can be classified together too.
   *
   * @param stop asked before every step; true stops the work (the running attacks are dropped)
   * @return false when {@code stop} stopped it
   */
  boolean runEach(AttackTarget target, int lanes, Iterator<Image> images, Consumer<List<Ended>> finished,
      BooleanSupplier stop, boolean background) {
    GradientScheduler scheduler = target.scheduler();
    List<Lane> running = new ArrayList<>();
    try (GradientScheduler.Session session = scheduler.open(background)) {
      while (true) {
        if (stop.getAsBoolean()) {
          return false;
        }
        if (running.size() < lanes && images.hasNext()) {
          List<Lane> fresh = new ArrayList<>();
          while (running.size() + fresh.size() < lanes && images.hasNext()) {
            fresh.add(new Lane(target, images.next(), stateOnDevice.on(target.model().device())));
          }
          classifyOriginals(target, fresh);
          running.addAll(fresh);
        }
        if (running.isEmpty()) {
          return true;
        }
        List<Lane> stepping = new ArrayList<>();
        List<Ended> ended = new ArrayList<>();
        for (Lane lane : List.copyOf(running)) {
          if (lane.prepareStep()) {
            stepping.add(lane);
          } else {
            running.remove(lane);
            ended.add(new Ended(lane.image, lane.finish()));
          }
        }
        if (!ended.isEmpty()) {
          finished.accept(ended);
        }
        if (!stepping.isEmpty()) {
          step(session, scheduler, stepping);
        }
      }
    } finally {
      running.forEach(Lane::release);
    }
  }

  /**
   * Classifies the originals of attacks that do not start at the clean input, all at once; the
   * others are classified by their first step.
   */
  private static void classifyOriginals(AttackTarget target, List<Lane> fresh) {
    List<Lane> judged = fresh.stream().filter(l -> !l.sharesFirstPass()).toList();
    if (judged.isEmpty()) {
      return;
    }
    List<float[]> logits = Defended.judgeAll(target, judged.stream().map(l -> l.image.defended).toList(),
        judged.stream().map(l -> l.image.x).toList());
    for (int i = 0; i < judged.size(); i++) {
      judged.get(i).begin(logits.get(i), null);
    }
  }

  /**
   * Submits the prepared steps of {@code lanes} as few scheduler jobs as its {@code maxBatchSize}
   * allows ({@link GradientScheduler#networkRows}), then hands each lane its results; a lane whose
   * results do not come by its deadline is cut short.
   */
  private static void step(GradientScheduler.Session session, GradientScheduler scheduler, List<Lane> lanes) {
    int maxRows = scheduler.maxBatchSize();
    List<List<Lane>> jobs = new ArrayList<>();
    List<Lane> job = new ArrayList<>();
    int rows = 0;
    for (Lane lane : lanes) {
      int size = scheduler.networkRows(lane.rows);
      if (!job.isEmpty() && rows + size > maxRows) {
        jobs.add(job);
        job = new ArrayList<>();
        rows = 0;
      }
      job.add(lane);
      rows += size;
    }
    if (!job.isEmpty()) {
      jobs.add(job);
    }
    List<CompletableFuture<List<GradientResult>>> futures = new ArrayList<>(jobs.size());
    try {
      for (List<Lane> group : jobs) {
        futures.add(session.submit(group.stream().flatMap(l -> l.rows.stream()).toList()));
      }
    } catch (RuntimeException e) {
      futures.forEach(f -> f.cancel(false));
      throw e;
    }
    for (int j = 0; j < jobs.size(); j++) {
      List<Lane> group = jobs.get(j);
      List<GradientResult> results = await(futures.get(j), group.stream().mapToLong(l -> l.image.deadline()).max()
          .orElseThrow());
      int at = 0;
      for (Lane lane : group) {
        int n = lane.rows.size();
        lane.accept(results == null ? null : results.subList(at, at + n));
        at += n;
      }
    }
  }

  /** Results of one scheduler job, or null (job dropped) when {@code deadline} passes first. */
  private static List<GradientResult> await(CompletableFuture<List<GradientResult>> step, long deadline) {
    long left = deadline - System.nanoTime();
    try {
      return step.get(Math.max(0, left), TimeUnit.NANOSECONDS);
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

  /** One running attack of {@link #runEach}: before its first step, or stepping its state machine. */
  private static final class Lane {

    private final AttackTarget target;
    private final Image image;
    /** Whether the attack's first step at the clean input also classifies the original. */
    private final boolean firstAtInput;
    /** Whether an L∞ attack keeps its state on the model's device ({@link AttackContext#stateOnDevice}). */
    private final boolean stateOnDevice;
    private AttackContext context;
    private Attack attack;
    private Eot eot;
    private long classified;
    /** The rows of the step being taken, as submitted. */
    private List<GradientRow> rows = List.of();
    private boolean completed;
    private boolean cutShort;

    Lane(AttackTarget target, Image image, boolean stateOnDevice) {
      this.target = target;
      this.image = image;
      this.stateOnDevice = stateOnDevice;
      this.firstAtInput = image.plan.prepared().firstStepAtInput() && image.defended.defence() == null;
    }

    boolean sharesFirstPass() {
      return firstAtInput;
    }

    /**
     * Sets up the attack from the original's logits; {@code first}, when given, is the result of
     * its first step, taken at the clean input before the original's top-1 was known.
     */
    void begin(float[] originalLogits, GradientResult first) {
      AttackPlan plan = image.plan;
      classified = System.nanoTime();
      context = new AttackContext(image.x, originalLogits,
          plan.label() != null ? plan.label() : Predictions.argmax(originalLogits), plan.targetClass(),
          target.model().classes(), stateOnDevice);
      attack = plan.prepared().factory().apply(context);
      eot = image.defended.newEot(target.model().preprocessing());
      if (first != null) {
        List<GradientRow> firstRows = attack.next();
        if (firstRows.size() != 1 || firstRows.get(0).input() != image.x
            || !firstRows.get(0).objective().equals(context.objective())) {
          throw new IllegalStateException("the attack does not start with one step at the clean input");
        }
        attack.accept(List.of(first));
      }
    }

    /**
     * Puts the rows of this lane's next step in {@link #rows}; false when the attack is over (it
     * finished, or its deadline passed). The first step of an attack that starts at the clean
     * input is taken with the objective it will use ({@link AttackContext#objective()}).
     */
    boolean prepareStep() {
      if (cutShort) {
        return false;
      }
      if (attack == null) {
        rows = List.of(new GradientRow(image.x, Objective.of(image.plan.targetClass(), image.plan.label())));
      } else {
        List<GradientRow> next = attack.next();
        if (next.isEmpty()) {
          completed = true;
          return false;
        }
        rows = eot == null ? next : eot.decorate(next);
      }
      if (System.nanoTime() >= image.deadline()) {
        cut();
        return false;
      }
      return true;
    }

    /** The results of the prepared step, or null when it was dropped at the deadline. */
    void accept(List<GradientResult> results) {
      if (results == null) {
        cut();
      } else if (attack == null) {
        begin(results.get(0).logits(), results.get(0));
      } else {
        attack.accept(results);
      }
    }

    /** Ends the attack at its deadline; one that never started still gets its original classified. */
    private void cut() {
      cutShort = true;
      if (attack == null) {
        begin(image.defended.judge(target, image.x), null);
      }
    }

    AttackRun finish() {
      release();
      return new AttackRun(context, attack, completed, classified, System.nanoTime());
    }

    /** Frees the attack's device state: it has ended, or its lane was dropped. */
    void release() {
      if (attack != null) {
        attack.release();
      }
    }
  }
}
