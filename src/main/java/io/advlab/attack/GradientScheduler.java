package io.advlab.attack;

import io.advlab.model.Predictions;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.ClassifierModel;
import io.advlab.model.GradientNetwork;
import io.advlab.problem.ApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one thread that owns {@link GradientNetwork#exclusive}: it takes gradient steps of running
 * attacks from a bounded queue and runs the steps of concurrent requests as one batched
 * forward/backward pass (inputs stacked along N, one {@link Objective} per row, the batch loss the
 * sum of the rows' losses, so every row's gradient equals what it would be alone).
 *
 * <p>After taking the first waiting step it gathers more until every running attack (see
 * {@link #open()}) has submitted, the batch holds {@code maxBatchSize} rows, or
 * {@code maxBatchDelay} has passed. A full queue answers 503 with {@code Retry-After}.
 */
@Component
class GradientScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GradientScheduler.class);

  private final GradientNetwork network;
  private final int channels = 3;
  private final int height;
  private final int width;
  private final int inputSize;
  private final int classes;
  private final AttackProperties properties;
  private final BlockingQueue<Job> queue;
  private final AtomicInteger running = new AtomicInteger();
  private final Thread worker;
  private final Timer stepTimer;
  private final DistributionSummary batchSizes;
  private volatile boolean open = true;

  GradientScheduler(ClassifierModel model, AttackProperties properties, MeterRegistry registry) {
    this.network = model.gradient();
    this.height = model.preprocessing().height();
    this.width = model.preprocessing().width();
    this.inputSize = model.preprocessing().inputSize();
    this.classes = model.classes();
    this.properties = properties;
    this.queue = new ArrayBlockingQueue<>(properties.queueSize());
    this.stepTimer = Timer.builder("advlab.gradient.step")
        .description("One batched forward+backward pass of the gradient network").register(registry);
    this.batchSizes = DistributionSummary.builder("advlab.gradient.batch.size")
        .description("Rows (images) per batched gradient pass")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    Gauge.builder("advlab.gradient.queue.waiting", queue, BlockingQueue::size)
        .description("Gradient steps waiting for the scheduler").register(registry);
    Gauge.builder("advlab.attacks.running", running, AtomicInteger::get)
        .description("Attacks currently running").register(registry);
    this.worker = new Thread(this::work, "advlab-gradient");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Registers a running attack, so the scheduler knows how many steps to wait for before it runs a
   * batch; close the returned handle when the attack ends.
   */
  Session open() {
    running.incrementAndGet();
    return new Session();
  }

  /** A running attack; closing it stops the scheduler from waiting for its steps. */
  final class Session implements AutoCloseable {
    private boolean closed;

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        running.decrementAndGet();
      }
    }
  }

  /**
   * Queues one step (one or more rows that run in the same batch). The future completes with one
   * result per row; cancel it to drop the step. 503 when the queue is full.
   */
  CompletableFuture<List<GradientResult>> submit(List<GradientRow> rows) {
    for (GradientRow row : rows) {
      if (row.input().length != inputSize) {
        throw new IllegalArgumentException("row has " + row.input().length + " floats, expected " + inputSize);
      }
    }
    Job job = new Job(List.copyOf(rows));
    if (!open || !queue.offer(job)) {
      throw ApiException.overloaded("The attack queue is full (" + properties.queueSize() + " steps waiting).", 1);
    }
    return job.result;
  }

  /** Gradient steps waiting now. */
  int waiting() {
    return queue.size();
  }

  private void work() {
    while (open) {
      try {
        List<Job> batch = nextBatch();
        if (!batch.isEmpty()) {
          run(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Gradient scheduler loop failed", e);
      }
    }
  }

  /** A step that did not fit the previous batch; it leads the next one. Worker thread only. */
  private Job carried;

  private List<Job> nextBatch() throws InterruptedException {
    List<Job> batch = new ArrayList<>();
    Job first = carried != null ? carried : queue.poll(200, TimeUnit.MILLISECONDS);
    carried = null;
    if (first == null || first.result.isDone()) {
      return batch;
    }
    batch.add(first);
    int rows = first.rows.size();
    long until = System.nanoTime() + properties.maxBatchDelay().toNanos();
    while (rows < properties.maxBatchSize() && batch.size() < running.get()) {
      long left = until - System.nanoTime();
      Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
      if (next == null) {
        break;
      }
      if (next.result.isDone()) {
        continue;
      }
      if (rows + next.rows.size() > properties.maxBatchSize()) {
        carried = next;
        break;
      }
      batch.add(next);
      rows += next.rows.size();
    }
    return batch;
  }

  private void run(List<Job> batch) {
    List<GradientRow> rows = new ArrayList<>();
    batch.forEach(j -> rows.addAll(j.rows));
    try {
      List<GradientResult> results = stepTimer.recordCallable(() -> gradients(rows));
      batchSizes.record(rows.size());
      int at = 0;
      for (Job job : batch) {
        job.result.complete(results.subList(at, at + job.rows.size()));
        at += job.rows.size();
      }
    } catch (Exception e) {
      log.error("Gradient pass over {} rows failed", rows.size(), e);
      batch.forEach(j -> j.result.completeExceptionally(e));
    }
  }

  /** One forward/backward pass over {@code rows}; public to the package for tests. */
  List<GradientResult> gradients(List<GradientRow> rows) {
    int n = rows.size();
    FloatBuffer pixels = FloatBuffer.allocate(n * inputSize);
    float[] ceWeights = new float[n * classes];
    float[] logitWeights = new float[n * classes];
    for (int i = 0; i < n; i++) {
      GradientRow row = rows.get(i);
      pixels.put(row.input());
      Objective o = row.objective();
      if (o.plusClass() >= 0) {
        logitWeights[i * classes + o.plusClass()] += 1f;
      }
      if (o.minusClass() >= 0) {
        logitWeights[i * classes + o.minusClass()] -= 1f;
      }
    }
    pixels.flip();
    return network.exclusive(collector -> {
      try (NDManager manager = network.newManager()) {
        NDArray x = manager.create(pixels, new Shape(n, channels, height, width));
        x.setRequiresGradient(true);
        NDArray logits = network.logits(x);
        float[] flatLogits = logits.toFloatArray();
        float[][] rowLogits = new float[n][];
        for (int i = 0; i < n; i++) {
          rowLogits[i] = Arrays.copyOfRange(flatLogits, i * classes, (i + 1) * classes);
          Objective o = rows.get(i).objective();
          int ceClass = o.ceClass() == Objective.OWN_TOP1 ? Predictions.argmax(rowLogits[i]) : o.ceClass();
          if (ceClass >= 0) {
            ceWeights[i * classes + ceClass] = -o.ceSign();
          }
        }
        NDArray ce = manager.create(ceWeights, new Shape(n, classes));
        NDArray lin = manager.create(logitWeights, new Shape(n, classes));
        NDArray loss = logits.logSoftmax(1).mul(ce).sum().add(logits.mul(lin).sum());
        collector.backward(loss);
        float[] flatGradient = x.getGradient().toFloatArray();
        List<GradientResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          out.add(new GradientResult(rowLogits[i],
              Arrays.copyOfRange(flatGradient, i * inputSize, (i + 1) * inputSize)));
        }
        return out;
      }
    });
  }

  @Override
  public void close() throws InterruptedException {
    open = false;
    worker.join(5_000);
    Job job;
    while ((job = queue.poll()) != null) {
      job.result.cancel(false);
    }
  }

  private static final class Job {
    final List<GradientRow> rows;
    final CompletableFuture<List<GradientResult>> result = new CompletableFuture<>();

    Job(List<GradientRow> rows) {
      this.rows = rows;
    }
  }
}
