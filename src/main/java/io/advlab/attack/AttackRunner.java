package io.advlab.attack;

import io.advlab.model.Predictions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Classifies the original and drives the attack's state machine through the target's
 * {@link GradientScheduler}, one step at a time, until the attack finishes or the deadline passes.
 * FGSM and PGD without random start climb the gradient at the clean input first: the pass that
 * takes that step classifies the original too, which saves a forward pass; the others classify it
 * on the inference pool. Against a defence the original is judged through it, and with EOT every
 * step's rows carry fresh random draws of the defence ({@link Eot}).
 *
 * <p>A request is one attack on one image. An evaluation's shard is many, driven in lanes by one
 * thread ({@link #runShared}, shared by every shard on the model version): every step of all
 * running attacks is submitted as one scheduler job, so they arrive in the same pass together, and
 * the originals of the attacks it starts at once are classified together. One thread per image
 * instead woke sixteen threads per pass and split the passes into whatever steps had come back by
 * then (9.7 rows of 16 on average); one thread per shard had two shards take turns with passes of
 * 9.5 rows.
 */
@Component
class AttackRunner {

  private final AttackProperties.StateOnDevice stateOnDevice;
  /**
   * The shared lanes of {@link #runShared}, one pool per model version's scheduler; weak, so a
   * version that is unloaded takes its pool with it (a pool holds no scheduler while idle).
   */
  private final Map<GradientScheduler, LanePool> pools = new WeakHashMap<>();

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

  /** An image of a {@link Batch} and its finished or timed-out attack. */
  record Ended(Image image, AttackRun run) {}

  /**
   * The attack alone, as benchmarks time it: its result is not classified.
   *
   * @param defended the defence the original is judged through, and the EOT draws per step
   * @param deadline {@code System.nanoTime()} by which the attack must end
   */
  AttackRun run(AttackTarget target, AttackPlan plan, Defended defended, float[] x, long deadline) {
    long now = System.nanoTime();
    return run(target, new Image(plan, defended, x, deadline - plan.budgetNanos(), now), false, false);
  }

  /**
   * One attack, driven from the calling thread with one lane; its result is judged through the
   * image's defence for the response ({@link AttackRun#adversarialLogits}). {@code background} attacks
   * give way to interactive ones.
   */
  AttackRun run(AttackTarget target, Image image, boolean background) {
    return run(target, image, background, true);
  }

  private AttackRun run(AttackTarget target, Image image, boolean background, boolean judge) {
    AttackRun[] run = new AttackRun[1];
    Batch batch = new Batch(target, 1, List.of(image).iterator(), ended -> run[0] = ended.get(0).run(), () -> false,
        judge);
    GradientScheduler scheduler = target.scheduler();
    try (GradientScheduler.Session session = scheduler.open(background)) {
      new Driver(scheduler, session, stateOnDevice).drive(() -> batch.done.isDone() ? List.of() : List.of(batch));
    }
    batch.result();
    return run[0];
  }

  /**
   * Attacks {@code images} in the background with up to {@code lanes} attacks running at once,
   * stepped together with every other caller's lanes on the same model version by one thread of
   * this runner's ({@link LanePool}): each step of all running attacks is one scheduler submission
   * (split only where it would exceed the scheduler's pass size), and a finished attack's lane
   * takes the next image. Two evaluation shards running at once share each gradient pass instead
   * of taking turns with half-full ones. {@code finished} gets the runs that ended in one step
   * together, their results already judged. The calling thread waits; an interrupt drops its
   * lanes at their next step.
   *
   * @param stop asked before every step; true stops the work (the running attacks are dropped)
   * @return false when {@code stop} stopped it
   */
  boolean runShared(AttackTarget target, int lanes, Iterator<Image> images, Consumer<List<Ended>> finished,
      BooleanSupplier stop) {
    LanePool pool;
    synchronized (pools) {
      pool = pools.computeIfAbsent(target.scheduler(), s -> new LanePool(stateOnDevice));
    }
    return pool.run(new Batch(target, lanes, images, finished, stop, true));
  }

  /**
   * One caller's images and its up to {@code lanes} running attacks. Only the thread driving it
   * touches {@code images}, {@code finished} and {@code stop}; {@code done} tells the caller how it
   * ended.
   */
  static final class Batch {
    final AttackTarget target;
    final int lanes;
    final Iterator<Image> images;
    final Consumer<List<Ended>> finished;
    final BooleanSupplier stop;
    /**
     * Whether the driver classifies each ended attack's result (through the image's defence) for
     * its response, in one pass with the next images' originals ({@link AttackRun#adversarialLogits}).
     */
    final boolean judge;
    /** True when every image was attacked, false when {@code stop} (or the caller) stopped it. */
    final CompletableFuture<Boolean> done = new CompletableFuture<>();
    /** Set by a caller that gives up waiting (interrupted): its lanes are dropped at the next step. */
    volatile boolean abandoned;

    Batch(AttackTarget target, int lanes, Iterator<Image> images, Consumer<List<Ended>> finished,
        BooleanSupplier stop, boolean judge) {
      this.target = target;
      this.judge = judge;
      this.lanes = lanes;
      this.images = images;
      this.finished = finished;
      this.stop = stop;
    }

    /** How it ended, as {@link #runShared} returns it; a failure is rethrown as it was thrown. */
    boolean result() {
      try {
        return done.getNow(false);
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
  }

  /**
   * The loop that drives lanes: before every step it drops the lanes of batches that stopped,
   * gives free lanes the next images (originals classified together), hands the runs that ended to
   * their batch and submits the step of every running lane at once. A batch whose images, stop or
   * {@code finished} throws fails alone; a failed step fails the batches that had lanes in it.
   */
  static final class Driver {
    private final GradientScheduler scheduler;
    private final GradientScheduler.Session session;
    private final AttackProperties.StateOnDevice stateOnDevice;
    private final List<Lane> running = new ArrayList<>();

    Driver(GradientScheduler scheduler, GradientScheduler.Session session,
        AttackProperties.StateOnDevice stateOnDevice) {
      this.scheduler = scheduler;
      this.session = session;
      this.stateOnDevice = stateOnDevice;
    }

    /** Drives the batches {@code active} names (asked before every step) until it names none. */
    void drive(Supplier<List<Batch>> active) {
      try {
        List<Batch> batches;
        while (!(batches = active.get()).isEmpty()) {
          step(batches);
        }
      } catch (RuntimeException | Error e) {
        // the driver itself broke: no batch may wait for ever
        for (Lane lane : List.copyOf(running)) {
          fail(lane.batch, e);
        }
        throw e;
      } finally {
        running.forEach(Lane::release);
        running.clear();
      }
    }

    private void step(List<Batch> batches) {
      for (Batch batch : batches) {
        try {
          if (batch.abandoned || batch.stop.getAsBoolean()) {
            end(batch, false);
          }
        } catch (RuntimeException e) {
          fail(batch, e);
        }
      }
      List<Lane> stepping = new ArrayList<>();
      List<Lane> over = new ArrayList<>();
      prepare(List.copyOf(running), stepping, over);
      // the lanes that just ended take their next images in this same step, and those images'
      // originals are classified in one pass with the ended attacks' results: refilled a step later,
      // the ended lanes left their pass short, and the two classifications took a pass each
      List<Lane> fresh = fill(batches);
      judge(fresh, over);
      fresh.removeIf(lane -> lane.batch.done.isDone());
      List<Lane> late = new ArrayList<>();
      prepare(fresh, stepping, late);
      judge(List.of(), late);
      over.addAll(late);
      Map<Batch, List<Ended>> ended = new LinkedHashMap<>();
      for (Lane lane : over) {
        if (lane.batch.done.isDone()) {
          lane.release();
        } else {
          ended.computeIfAbsent(lane.batch, b -> new ArrayList<>()).add(new Ended(lane.image, lane.finish()));
        }
      }
      ended.forEach((batch, runs) -> {
        try {
          batch.finished.accept(runs);
        } catch (RuntimeException e) {
          fail(batch, e);
        }
      });
      for (Batch batch : batches) {
        try {
          if (!batch.done.isDone() && running.stream().noneMatch(l -> l.batch == batch) && !batch.images.hasNext()) {
            batch.done.complete(true);
          }
        } catch (RuntimeException e) {
          fail(batch, e);
        }
      }
      stepping.removeIf(lane -> lane.batch.done.isDone());
      if (!stepping.isEmpty()) {
        try {
          AttackRunner.step(session, scheduler, stepping);
        } catch (RuntimeException e) {
          stepping.forEach(lane -> fail(lane.batch, e));
        }
      }
    }

    /**
     * Gives free lanes the next images: lanes go to the batches in the order they came, the first
     * takes all it can, the next ones what is left, so passes stay full while a batch's last images
     * run out.
     */
    private List<Lane> fill(List<Batch> batches) {
      int lanes = batches.stream().mapToInt(b -> b.lanes).max().orElse(0);
      List<Lane> fresh = new ArrayList<>();
      for (Batch batch : batches) {
        try {
          while (!batch.done.isDone() && running.size() < lanes && batch.images.hasNext()) {
            Lane lane = new Lane(batch, batch.images.next(), stateOnDevice.on(batch.target.model().device()));
            running.add(lane);
            fresh.add(lane);
          }
        } catch (RuntimeException e) {
          fail(batch, e);
        }
      }
      fresh.removeIf(lane -> lane.batch.done.isDone());
      return fresh;
    }

    /**
     * Prepares the next step of each of {@code lanes}: those with one go to {@code stepping}; the
     * others' attacks are over, and they leave the running lanes for {@code over}.
     */
    private void prepare(List<Lane> lanes, List<Lane> stepping, List<Lane> over) {
      for (Lane lane : lanes) {
        if (lane.prepareStep()) {
          stepping.add(lane);
        } else {
          running.remove(lane);
          over.add(lane);
        }
      }
    }

    /**
     * Classifies, in one call, the originals of {@code fresh} lanes that do not start at the clean
     * input (the others are classified by their first step) and the results of the {@code over}
     * lanes whose batch wants them judged. Every lane of one driver attacks the same model version,
     * through the same pools. A failure fails the batches of every lane in the call.
     */
    private void judge(List<Lane> fresh, List<Lane> over) {
      List<Lane> originals = fresh.stream().filter(l -> !l.sharesFirstPass()).toList();
      List<Lane> results = over.stream().filter(l -> l.batch.judge && !l.batch.done.isDone()).toList();
      if (originals.isEmpty() && results.isEmpty()) {
        return;
      }
      List<Defended> defences = new ArrayList<>();
      List<float[]> xs = new ArrayList<>();
      for (Lane lane : originals) {
        defences.add(lane.image.defended);
        xs.add(lane.image.x);
      }
      for (Lane lane : results) {
        defences.add(lane.image.defended);
        xs.add(lane.result());
      }
      AttackTarget target = (originals.isEmpty() ? results : originals).get(0).batch.target;
      List<float[]> logits;
      try {
        logits = Defended.judgeAll(target, defences, xs);
      } catch (RuntimeException e) {
        originals.forEach(lane -> fail(lane.batch, e));
        results.forEach(lane -> fail(lane.batch, e));
        return;
      }
      long judged = System.nanoTime();
      for (int i = 0; i < originals.size(); i++) {
        originals.get(i).begin(logits.get(i), null);
      }
      for (int i = 0; i < results.size(); i++) {
        results.get(i).judged(logits.get(originals.size() + i), judged);
      }
    }

    /** Ends {@code batch}: its running lanes are dropped and their device state freed. */
    private void end(Batch batch, boolean result) {
      drop(batch);
      batch.done.complete(result);
    }

    private void fail(Batch batch, Throwable failure) {
      drop(batch);
      batch.done.completeExceptionally(failure);
    }

    private void drop(Batch batch) {
      for (Lane lane : List.copyOf(running)) {
        if (lane.batch == batch) {
          running.remove(lane);
          lane.release();
        }
      }
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

  /** One running attack of a {@link Batch}: before its first step, or stepping its state machine. */
  private static final class Lane {

    private final Batch batch;
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
    /** When the attack ended: its last step came back, or its deadline passed. */
    private long attacked;
    /** Its result and that result's logits through its defence ({@link Driver#judge}), or null when not asked for. */
    private float[] result;
    private float[] resultLogits;
    private long judged;

    Lane(Batch batch, Image image, boolean stateOnDevice) {
      this.batch = batch;
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
          batch.target.model().classes(), stateOnDevice);
      attack = plan.prepared().factory().apply(context);
      eot = image.defended.newEot(batch.target.model().preprocessing());
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
        attacked = System.nanoTime();
        return false;
      }
      if (attack == null) {
        rows = List.of(new GradientRow(image.x, Objective.of(image.plan.targetClass(), image.plan.label())));
      } else {
        List<GradientRow> next = attack.next();
        if (next.isEmpty()) {
          completed = true;
          attacked = System.nanoTime();
          return false;
        }
        rows = eot == null ? next : eot.decorate(next);
      }
      if (System.nanoTime() >= image.deadline()) {
        cut();
        attacked = System.nanoTime();
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
        begin(image.defended.judge(batch.target, image.x), null);
      }
    }

    /** The attack's result, the image its response judges; read once. */
    float[] result() {
      if (result == null) {
        result = attack.adversarial();
      }
      return result;
    }

    /** Its {@link #result()}'s logits through its defence, judged at {@code when}. */
    void judged(float[] logits, long when) {
      resultLogits = logits;
      judged = when;
    }

    AttackRun finish() {
      release();
      return new AttackRun(context, attack, completed, classified, attacked, resultLogits == null ? null : result,
          resultLogits, resultLogits == null ? attacked : judged);
    }

    /** Frees the attack's device state: it has ended, or its lane was dropped. */
    void release() {
      if (attack != null) {
        attack.release();
      }
    }
  }
}
