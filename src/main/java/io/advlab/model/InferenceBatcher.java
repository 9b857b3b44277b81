package io.advlab.model;

import ai.djl.inference.Predictor;
import io.advlab.batching.BatchingQueue;
import io.advlab.problem.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Dynamic batching in front of a bounded pool of predictors, one pool per served model version:
 * each worker of the {@link BatchingQueue} owns one DJL {@link Predictor} (they are not thread-safe)
 * and runs what is queued as one forward pass. Workers wait for more requests only while every
 * other worker is busy, so a lone request is not delayed and batches grow with the load. A full
 * queue, or a request that waits past {@code timeout}, gets 503.
 */
public final class InferenceBatcher implements AutoCloseable {

  private static final BatchingQueue.Meters METERS = new BatchingQueue.Meters("advlab.inference",
      "One batched forward pass of the inference network", "advlab.inference.batch.size",
      "advlab.inference.queue.waiting", "advlab.inference.workers.busy", "advlab.inference.workers");

  private final ModelProperties properties;
  private final int inputSize;
  private final int height;
  private final int width;
  /** Input sizes other than the model's (a defence's larger canvas) by their float count: {height, width}. */
  private final Map<Integer, int[]> canvases = new ConcurrentHashMap<>();
  private final BatchingQueue<float[], float[]> queue;

  InferenceBatcher(ClassifierModel model, ModelProperties properties, MeterRegistry registry) {
    this(model, properties, registry, Tags.empty());
  }

  /** A pool whose meters carry {@code tags} (model and version). */
  InferenceBatcher(ClassifierModel model, ModelProperties properties, MeterRegistry registry, Tags tags) {
    this.properties = properties;
    this.inputSize = model.preprocessing().inputSize();
    this.height = model.preprocessing().height();
    this.width = model.preprocessing().width();
    BatchingQueue.Settings settings = new BatchingQueue.Settings("inference", properties.effectiveWorkers(),
        properties.queueSize(), properties.maxBatchSize(), properties.maxBatchDelay(), METERS, tags);
    this.queue = new BatchingQueue<>(settings, BatchingQueue.GatherPolicy.whileOthersBusy(),
        () -> new PredictorWorker(model, canvases), registry);
  }

  /** Logits for one preprocessed image (CHW floats in [0,1]), possibly batched with other requests. */
  public float[] logits(float[] input) {
    return logitsTogether(List.of(input)).get(0);
  }

  /**
   * Logits for several images forwarded together: queued as jobs of at most
   * {@code max-batch-size} rows, each job one forward pass (30 defence draws with the default 8
   * are four passes; a larger {@code max-batch-size} makes them one).
   */
  public List<float[]> logitsTogether(List<float[]> inputs) {
    return logitsTogether(inputs, height, width);
  }

  /**
   * As {@link #logitsTogether(List)} for inputs of {@code rows x columns}, which may be larger than
   * the model's input for a network that accepts it ({@link ClassifierModel#accepts}); they share
   * batches with other requests and run as a forward pass of their own size within them.
   */
  public List<float[]> logitsTogether(List<float[]> inputs, int rows, int columns) {
    int size = 3 * rows * columns;
    if (size != inputSize) {
      canvases.putIfAbsent(size, new int[] {rows, columns});
    }
    List<CompletableFuture<List<float[]>>> jobs = new ArrayList<>();
    try {
      for (int from = 0; from < inputs.size(); from += properties.maxBatchSize()) {
        List<float[]> chunk = inputs.subList(from, Math.min(inputs.size(), from + properties.maxBatchSize()));
        for (float[] input : chunk) {
          if (input.length != size) {
            throw new IllegalArgumentException("input has " + input.length + " floats, expected " + size);
          }
        }
        jobs.add(queue.submit(List.copyOf(chunk)));
      }
    } catch (RuntimeException e) {
      jobs.forEach(j -> j.cancel(false));
      throw e;
    }
    long deadline = System.nanoTime() + properties.timeout().toNanos();
    List<float[]> out = new ArrayList<>(inputs.size());
    for (CompletableFuture<List<float[]>> job : jobs) {
      out.addAll(awaitAll(job, deadline));
    }
    return out;
  }

  private List<float[]> awaitAll(CompletableFuture<List<float[]>> job, long deadline) {
    try {
      return job.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      job.cancel(false);
      throw ApiException.overloaded("Inference did not finish within " + properties.timeout() + ".", 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for inference", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("inference failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  public int waiting() {
    return queue.waiting();
  }

  public int busy() {
    return queue.busy();
  }

  @Override
  public void close() {
    queue.close();
  }

  /**
   * One worker's predictors, created in the worker's thread: one for the model's input size and,
   * on demand, one per larger canvas. A batch of one size is one forward pass; a batch that mixes
   * sizes runs one pass per size.
   */
  private static final class PredictorWorker implements BatchingQueue.Worker<float[], float[]> {
    private final ClassifierModel model;
    private final Map<Integer, int[]> canvases;
    private final int inputSize;
    private final Predictor<float[][], float[][]> predictor;
    private final Map<Integer, Predictor<float[][], float[][]>> others = new HashMap<>();

    PredictorWorker(ClassifierModel model, Map<Integer, int[]> canvases) {
      this.model = model;
      this.canvases = canvases;
      this.inputSize = model.preprocessing().inputSize();
      this.predictor = model.inference().newPredictor(new BatchTranslator(model.preprocessing()));
    }

    /** The pass runs on the {@link TorchThread}; this worker only gathers and hands over. */
    @Override
    public List<float[]> run(List<float[]> rows) throws Exception {
      return TorchThread.call(() -> forward(rows));
    }

    private List<float[]> forward(List<float[]> rows) throws Exception {
      if (rows.stream().allMatch(r -> r.length == inputSize)) {
        return Arrays.asList(predictor.predict(rows.toArray(new float[0][])));
      }
      Map<Integer, List<Integer>> bySize = new LinkedHashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        bySize.computeIfAbsent(rows.get(i).length, k -> new ArrayList<>()).add(i);
      }
      float[][] out = new float[rows.size()][];
      for (Map.Entry<Integer, List<Integer>> group : bySize.entrySet()) {
        float[][] batch = group.getValue().stream().map(rows::get).toArray(float[][]::new);
        float[][] logits = predictorFor(group.getKey()).predict(batch);
        for (int j = 0; j < logits.length; j++) {
          out[group.getValue().get(j)] = logits[j];
        }
      }
      return Arrays.asList(out);
    }

    private Predictor<float[][], float[][]> predictorFor(int size) {
      if (size == inputSize) {
        return predictor;
      }
      return others.computeIfAbsent(size, k -> {
        int[] shape = canvases.get(k);
        return model.inference().newPredictor(new BatchTranslator(model.preprocessing().sized(shape[0], shape[1])));
      });
    }

    @Override
    public void close() {
      predictor.close();
      others.values().forEach(Predictor::close);
    }
  }
}
