package io.advlab.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The background lanes of one model version: every {@link AttackRunner#runShared} caller (an
 * evaluation shard) adds its batch, and one driver thread steps the running attacks of all of
 * them as one scheduler submission per step.
 *
 * <p>Why: with a driver per shard, two shards of 8 lanes took turns on the torch thread with
 * passes of about 9 rows, where a loop over 16 images runs passes of 16; on 2 CPU cores a pass of
 * 8 digits costs 8.2 ms and one of 16 12.3 ms, so half-full passes cost a quarter more per image.
 * A shard whose last images occupy few lanes now fills the passes of the others too. The thread
 * exists only while there is work, and holds no scheduler while idle.
 */
final class LanePool {

  private final AttackProperties.StateOnDevice stateOnDevice;
  /** Batches not yet done, in the order they came; guarded by {@code this}. */
  private final List<AttackRunner.Batch> batches = new ArrayList<>();
  /** The driver thread while it runs; guarded by {@code this}. */
  private Thread driver;

  LanePool(AttackProperties.StateOnDevice stateOnDevice) {
    this.stateOnDevice = stateOnDevice;
  }

  /**
   * Adds {@code batch} to the shared lanes and waits until it is done. An interrupt drops its
   * lanes at their next step; the caller then still waits for that (one pass at most), so nothing
   * calls its {@code finished} after this returns, and keeps its interrupt flag.
   *
   * @return true when every image was attacked, false when its {@code stop} stopped it
   */
  boolean run(AttackRunner.Batch batch) {
    synchronized (this) {
      batches.add(batch);
      if (driver == null) {
        AttackTarget target = batch.target;
        driver = new Thread(() -> drive(target.scheduler()), "advlab-lanes-" + target.used().name());
        driver.setDaemon(true);
        driver.start();
      }
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          batch.done.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          batch.abandoned = true;
        } catch (ExecutionException e) {
          break;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (interrupted && !batch.done.isCompletedExceptionally()) {
      throw new IllegalStateException("interrupted while attacking");
    }
    return batch.result();
  }

  private void drive(GradientScheduler scheduler) {
    try (GradientScheduler.Session session = scheduler.open(true)) {
      new AttackRunner.Driver(scheduler, session, stateOnDevice).drive(this::active);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        // the driver itself broke: every waiting batch learns of it rather than hang
        batches.forEach(b -> b.done.completeExceptionally(e));
        batches.clear();
        driver = null;
      }
      throw e;
    }
  }

  /** The batches to step now; none ends the driver, which the next {@link #run} starts again. */
  private synchronized List<AttackRunner.Batch> active() {
    batches.removeIf(b -> b.done.isDone());
    if (batches.isEmpty()) {
      driver = null;
    }
    return List.copyOf(batches);
  }
}
