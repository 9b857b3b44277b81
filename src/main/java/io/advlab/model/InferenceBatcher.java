package io.advlab.model;

import ai.djl.inference.Predictor;
import io.advlab.problem.ApiException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Dynamic batching in front of a bounded pool of predictors, as TorchServe and DJL Serving do:
 * requests wait in a bounded queue; each worker owns one DJL {@link Predictor}, takes the oldest
 * request, adds whatever else is queued (up to {@code maxBatchSize}) and runs them in one forward
 * pass. It waits up to {@code maxBatchDelay} for more requests only while every other worker is
 * busy: an idle worker would take a later request at once, so waiting would only add latency. So a
 * lone request is not delayed, and batches grow with the load. A worker counts as idle again
 * before it hands out its results, and a waiting worker looks again every millisecond, so a worker
 * that has just finished never leaves another one waiting out the delay. A full queue or a request
 * that waits past {@code timeout} gets 503.
 */
@Component
public class InferenceBatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InferenceBatcher.class);
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final ClassifierModel model;
  private final ModelProperties properties;
  private final BlockingQueue<Job> queue;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger busy = new AtomicInteger();
  private final Timer forwardTimer;
  private final DistributionSummary batchSizes;
  private volatile boolean running = true;

  InferenceBatcher(ClassifierModel model, ModelProperties properties, MeterRegistry registry) {
    this.model = model;
    this.properties = properties;
    this.queue = new ArrayBlockingQueue<>(properties.queueSize());
    this.forwardTimer = Timer.builder("advlab.inference")
        .description("One batched forward pass of the inference network")
        .publishPercentileHistogram()
        .register(registry);
    this.batchSizes = DistributionSummary.builder("advlab.inference.batch.size")
        .description("Images per forward pass")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
        .register(registry);
    Gauge.builder("advlab.inference.queue.waiting", queue, BlockingQueue::size)
        .description("Requests waiting for an inference worker").register(registry);
    Gauge.builder("advlab.inference.workers.busy", busy, AtomicInteger::get)
        .description("Inference workers running a forward pass").register(registry);
    Gauge.builder("advlab.inference.workers", workers, List::size)
        .description("Inference workers (predictors) in the pool").register(registry);
    for (int i = 0; i < properties.effectiveWorkers(); i++) {
      Thread t = new Thread(this::work, "advlab-inference-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
  }

  /** Logits for one preprocessed image (CHW floats in [0,1]). */
  public float[] logits(float[] input) {
    return logits(List.of(input)).get(0);
  }

  /** Logits for several images, queued together and possibly batched with other requests. */
  public List<float[]> logits(List<float[]> inputs) {
    int expected = model.preprocessing().inputSize();
    List<Job> jobs = new ArrayList<>(inputs.size());
    for (float[] input : inputs) {
      if (input.length != expected) {
        throw new IllegalArgumentException("input has " + input.length + " floats, expected " + expected);
      }
      Job job = new Job(input);
      if (!queue.offer(job)) {
        jobs.forEach(j -> j.result.cancel(false));
        throw ApiException.overloaded("The inference queue is full (" + properties.queueSize() + " requests).", 1);
      }
      jobs.add(job);
    }
    long deadline = System.nanoTime() + properties.timeout().toNanos();
    List<float[]> out = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      out.add(await(job, deadline));
    }
    return out;
  }

  private float[] await(Job job, long deadline) {
    try {
      return job.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      job.result.cancel(false);
      throw ApiException.overloaded("Inference did not finish within " + properties.timeout() + ".", 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for inference", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("inference failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  public int waiting() {
    return queue.size();
  }

  public int busy() {
    return busy.get();
  }

  private void work() {
    try (Predictor<float[][], float[][]> predictor =
        model.inference().newPredictor(new BatchTranslator(model.preprocessing()))) {
      while (running) {
        List<Job> batch = nextBatch();
        if (!batch.isEmpty()) {
          run(predictor, batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Job> nextBatch() throws InterruptedException {
    List<Job> batch = new ArrayList<>();
    Job first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) {
      return batch;
    }
    addIfLive(batch, first);
    long until = System.nanoTime() + properties.maxBatchDelay().toNanos();
    while (batch.size() < properties.maxBatchSize()) {
      Job next = queue.poll();
      if (next == null) {
        long left = until - System.nanoTime();
        if (left <= 0 || busy.get() < workers.size() - 1) {
          break;
        }
        next = queue.poll(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
        if (next == null) {
          continue;
        }
      }
      addIfLive(batch, next);
    }
    return batch;
  }

  private static void addIfLive(List<Job> batch, Job job) {
    if (!job.result.isDone()) {
      batch.add(job);
    }
  }

  /**
   * Runs one forward pass. The worker stops counting as busy before it completes the futures: a
   * caller that sends its next request as soon as it has its logits must find this worker idle.
   */
  private void run(Predictor<float[][], float[][]> predictor, List<Job> batch) {
    float[][] inputs = new float[batch.size()][];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = batch.get(i).input;
    }
    float[][] logits;
    busy.incrementAndGet();
    try {
      logits = forwardTimer.recordCallable(() -> predictor.predict(inputs));
    } catch (Exception e) {
      log.error("Forward pass of a batch of {} failed", batch.size(), e);
      batch.forEach(j -> j.result.completeExceptionally(e));
      return;
    } finally {
      busy.decrementAndGet();
    }
    batchSizes.record(batch.size());
    for (int i = 0; i < logits.length; i++) {
      batch.get(i).result.complete(logits[i]);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : workers) {
      t.join(5_000);
    }
    Job job;
    while ((job = queue.poll()) != null) {
      job.result.cancel(false);
    }
  }

  private static final class Job {
    final float[] input;
    final CompletableFuture<float[]> result = new CompletableFuture<>();

    Job(float[] input) {
      this.input = input;
    }
  }
}
