package io.advlab.batching;

import io.advlab.problem.ApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of jobs in front of worker threads that run them in batches, as TorchServe and
 * DJL Serving do. A job is one or more rows that must run in the same batch (one image to
 * classify; one attack step, which may be several rows). A worker takes the oldest job, adds what
 * else is queued up to {@code maxRows} (as the queue's {@code size} counts a job's rows: one each
 * unless the owner knows that rows share work), and waits up to {@code maxDelay} for more only while the
 * {@link GatherPolicy} says more are coming: the inference pool waits only while
 * every other worker is busy (an idle worker would take a later request at once), the gradient
 * scheduler while running attacks have not all submitted. A job that does not fit leads the next
 * batch. A worker counts as idle again before it completes the futures, so a caller that sends
 * its next request at once finds it idle. A full queue is a 503 with {@code Retry-After}.
 *
 * <p>Meters carry the given tags (the model and version) and are removed when the queue closes, so
 * unloading a model leaves no stale series behind.
 *
 * @param <I> a row
 * @param <O> a row's result
 */
public final class BatchingQueue<I, O> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BatchingQueue.class);
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Runs one batch on a worker thread; created in that thread, closed when it ends. */
  public interface Worker<I, O> extends AutoCloseable {
    /** One result per row, in order. */
    List<O> run(List<I> rows) throws Exception;

    @Override
    default void close() {}
  }

  /**
   * Whether a worker holding {@code jobs} jobs, {@code urgentJobs} of them submitted as urgent
   * ({@link #submit(List, boolean)}), should wait (within the delay) for more.
   */
  @FunctionalInterface
  public interface GatherPolicy {
    boolean keepWaiting(int jobs, int urgentJobs, int busyWorkers, int workers);

    /**
     * The inference pool's policy: wait only while every other worker is busy; an idle worker
     * would take a later request at once, so waiting would only add latency. A lone worker never
     * waits: its batch is what queued while its last pass ran, and waiting for more would only
     * leave the network idle.
     */
    static GatherPolicy whileOthersBusy() {
      return (jobs, urgent, busy, workers) -> workers > 1 && busy >= workers - 1;
    }
  }

  /**
   * How the queue is named, sized and measured.
   *
   * @param name thread name prefix and the noun of the 503 message ("inference", "attack")
   * @param workers worker threads
   * @param queueSize jobs that may wait; one more is a 503
   * @param maxRows most rows in one batch
   * @param maxDelay longest wait for more jobs while the gather policy says they are coming
   * @param meters names of the meters; a null name is not registered
   * @param tags tags on every meter
   */
  public record Settings(String name, int workers, int queueSize, int maxRows, Duration maxDelay, Meters meters,
      Tags tags) {}

  /**
   * Meter names: a timer per batch, a summary of rows per batch, gauges of waiting jobs, busy and
   * total workers; null leaves one out.
   */
  public record Meters(String timer, String timerDescription, String batchSize, String waiting, String busy,
      String workers) {}

  private final Settings settings;
  private final BlockingQueue<Job<I, O>> queue;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger busy = new AtomicInteger();
  private final GatherPolicy policy;
  private final ToIntFunction<List<I>> size;
  private final Supplier<? extends Worker<I, O>> workerFactory;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Timer timer;
  private final DistributionSummary batchSizes;
  private volatile boolean open = true;

  /**
   * A queue whose jobs take one of {@code maxRows} per row.
   *
   * @param policy whether more jobs are coming and worth waiting for (within {@code maxDelay})
   * @param workerFactory makes each worker's resources (a predictor), in the worker's thread
   */
  public BatchingQueue(Settings settings, GatherPolicy policy, Supplier<? extends Worker<I, O>> workerFactory,
      MeterRegistry registry) {
    this(settings, policy, List::size, workerFactory, registry);
  }

  /**
   * @param size how much of {@code maxRows} a job's rows take (at least 1, at most their number):
   *     the gradient scheduler counts rows that share one network input once
   */
  public BatchingQueue(Settings settings, GatherPolicy policy, ToIntFunction<List<I>> size,
      Supplier<? extends Worker<I, O>> workerFactory, MeterRegistry registry) {
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.policy = policy;
    this.size = size;
    this.workerFactory = workerFactory;
    this.registry = registry;
    Meters m = settings.meters();
    this.timer = m.timer() == null ? null : keep(Timer.builder(m.timer()).description(m.timerDescription())
        .tags(settings.tags()).publishPercentileHistogram().register(registry));
    this.batchSizes = m.batchSize() == null ? null : keep(DistributionSummary.builder(m.batchSize())
        .description("Rows (images) per batch").tags(settings.tags())
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry));
    if (m.waiting() != null) {
      keep(Gauge.builder(m.waiting(), queue, BlockingQueue::size).description("Jobs waiting for a worker")
          .tags(settings.tags()).register(registry));
    }
    if (m.busy() != null) {
      keep(Gauge.builder(m.busy(), busy, AtomicInteger::get).description("Workers running a batch")
          .tags(settings.tags()).register(registry));
    }
    if (m.workers() != null) {
      keep(Gauge.builder(m.workers(), threads, List::size).description("Worker threads")
          .tags(settings.tags()).register(registry));
    }
    for (int i = 0; i < settings.workers(); i++) {
      Thread t = new Thread(this::work, "advlab-" + settings.name() + "-" + tagSuffix() + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /**
   * Queues one job: rows that run in the same batch. The future completes with one result per row;
   * cancel it to drop the job. 503 with {@code Retry-After: 1} when the queue is full.
   */
  public CompletableFuture<List<O>> submit(List<I> rows) {
    return submit(rows, false);
  }

  /**
   * As {@link #submit(List)}; an {@code urgent} job is counted apart for the {@link GatherPolicy},
   * so a policy can stop gathering once the urgent jobs it expects are in.
   */
  public CompletableFuture<List<O>> submit(List<I> rows, boolean urgent) {
    Job<I, O> job = new Job<>(List.copyOf(rows), sizeOf(rows), urgent);
    if (!open || !queue.offer(job)) {
      throw ApiException.overloaded("The " + settings.name() + " queue is full (" + settings.queueSize()
          + " waiting).", 1);
    }
    return job.result;
  }

  /**
   * Runs {@code rows} as one batch on the calling thread, measured as a worker's batch, when no job
   * waits and no worker runs one; returns null, having run nothing, when the queue is not idle (the
   * caller then submits). For a caller that knows no other job would join its batch: handing it to a
   * worker would only add two thread hand-offs.
   *
   * @throws Exception what {@code worker} throws
   */
  public List<O> runIfIdle(List<I> rows, Worker<I, O> worker) throws Exception {
    int rowCount = sizeOf(rows);
    if (!open || !queue.isEmpty() || !busy.compareAndSet(0, 1)) {
      return null;
    }
    try {
      return measured(worker, rows, rowCount);
    } finally {
      busy.decrementAndGet();
    }
  }

  /** What {@code rows} take of a batch; 1 to {@code maxRows}, else an IllegalArgumentException. */
  private int sizeOf(List<I> rows) {
    int rowCount = rows.isEmpty() ? 0 : size.applyAsInt(rows);
    if (rowCount < 1 || rowCount > settings.maxRows()) {
      throw new IllegalArgumentException("a job has 1.." + settings.maxRows() + " rows, got " + rowCount);
    }
    return rowCount;
  }

  /** Runs one batch, timed and counted in the meters; a failure is logged and rethrown. */
  private List<O> measured(Worker<I, O> worker, List<I> rows, int rowCount) throws Exception {
    List<O> results;
    try {
      results = timer == null ? worker.run(rows) : timer.recordCallable(() -> worker.run(rows));
    } catch (Exception e) {
      log.error("A {} batch of {} rows failed", settings.name(), rows.size(), e);
      throw e;
    }
    if (batchSizes != null) {
      batchSizes.record(rowCount);
    }
    return results;
  }

  public int waiting() {
    return queue.size();
  }

  public int busy() {
    return busy.get();
  }

  public int workers() {
    return threads.size();
  }

  private void work() {
    Job<I, O> carried = null;
    try (Worker<I, O> worker = workerFactory.get()) {
      while (open) {
        List<Job<I, O>> batch = new ArrayList<>();
        carried = gather(batch, carried);
        if (!batch.isEmpty()) {
          run(worker, batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("{} worker stopped", settings.name(), e);
    }
    if (carried != null) {
      carried.result.cancel(false);
    }
  }

  /** Fills {@code batch}; returns the job that did not fit, which leads the next batch. */
  private Job<I, O> gather(List<Job<I, O>> batch, Job<I, O> carried) throws InterruptedException {
    Job<I, O> first = carried != null ? carried : queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null || first.result.isDone()) {
      return null;
    }
    batch.add(first);
    int rows = first.size;
    int urgent = first.urgent ? 1 : 0;
    long until = System.nanoTime() + settings.maxDelay().toNanos();
    while (rows < settings.maxRows()) {
      Job<I, O> next = queue.poll();
      if (next == null) {
        long left = until - System.nanoTime();
        if (left <= 0 || !policy.keepWaiting(batch.size(), urgent, busy.get(), threads.size())) {
          break;
        }
        next = queue.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
        if (next == null) {
          continue;
        }
      }
      if (next.result.isDone()) {
        continue;
      }
      if (rows + next.size > settings.maxRows()) {
        return next;
      }
      batch.add(next);
      rows += next.size;
      urgent += next.urgent ? 1 : 0;
    }
    return null;
  }

  private void run(Worker<I, O> worker, List<Job<I, O>> batch) {
    List<I> rows = new ArrayList<>();
    batch.forEach(j -> rows.addAll(j.rows));
    List<O> results;
    busy.incrementAndGet();
    try {
      results = measured(worker, rows, batch.stream().mapToInt(j -> j.size).sum());
    } catch (Exception e) {
      batch.forEach(j -> j.result.completeExceptionally(e));
      return;
    } finally {
      busy.decrementAndGet();
    }
    int at = 0;
    for (Job<I, O> job : batch) {
      job.result.complete(List.copyOf(results.subList(at, at + job.rows.size())));
      at += job.rows.size();
    }
  }

  private String tagSuffix() {
    StringBuilder out = new StringBuilder();
    settings.tags().forEach(t -> out.append(t.getValue()).append('-'));
    return out.toString();
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Stops the workers (each finishes its batch), cancels what still waits, removes the meters. */
  @Override
  public void close() {
    open = false;
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Job<I, O> job;
    while ((job = queue.poll()) != null) {
      job.result.cancel(false);
    }
    meters.forEach(registry::remove);
  }

  private static final class Job<I, O> {
    final List<I> rows;
    /** What the job takes of a batch's {@code maxRows}. */
    final int size;
    final boolean urgent;
    final CompletableFuture<List<O>> result = new CompletableFuture<>();

    Job(List<I> rows, int size, boolean urgent) {
      this.rows = rows;
      this.size = size;
      this.urgent = urgent;
    }
  }
}
