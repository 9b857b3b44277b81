package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.batching.BatchingQueue;
import io.advlab.defence.Draw;
import io.advlab.defence.Randomization;
import io.advlab.model.ClassifierModel;
import io.advlab.model.GradientNetwork;
import io.advlab.model.Predictions;
import io.advlab.problem.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model's gradient thread: it takes gradient steps of running attacks from a bounded queue
 * and runs the steps of concurrent requests as one batched
 * forward/backward pass (inputs stacked along N, one {@link Objective} per row, the batch loss the
 * sum of the rows' losses, so every row's gradient equals what it would be alone).
 *
 * <p>After taking the first waiting step it gathers more until every running attack (see
 * {@link #open(boolean)}) has submitted, the batch holds {@code maxBatchSize} rows, or
 * {@code maxBatchDelay} has passed. Interactive attacks come first: a batch waits only for the
 * interactive attacks' steps, and background ones (an evaluation's images) join the batches with
 * whatever steps they have queued by then, so a running job never holds an interactive attack
 * back to its own pace. The queue, its gathering and the 503 with {@code Retry-After}
 * for a full queue are the shared {@link BatchingQueue}'s.
 *
 * <p>A row with randomization draws (EOT) is expanded into one network row per draw before it is
 * queued, so batch sizes count network rows; inside the pass each such row is resized and padded
 * in the graph, and the draws' logits and gradients are averaged back into the row's result. Rows
 * without draws run exactly as before.
 *
 * <p>A row at an attack's iterate on the device ({@link DeviceIterate}) brings no image: the pass
 * forwards the iterate's point, already on the device, and steps all the pass's iterates with their
 * gradients as one batch before it returns: L∞ PGD/FGSM ({@link LinfIterate}) with the mean over
 * their draws, DeepFool ({@link DeepFoolIterate}) with every candidate's. Only the logits (and
 * DeepFool's lengths) come back to the JVM.
 */
class GradientScheduler implements AutoCloseable {

  private static final BatchingQueue.Meters METERS = new BatchingQueue.Meters("advlab.gradient.step",
      "One batched forward+backward pass of the gradient network", "advlab.gradient.batch.size",
      "advlab.gradient.queue.waiting", null, null);

  private final GradientNetwork network;
  private final int channels = 3;
  private final int height;
  private final int width;
  private final int inputSize;
  private final int classes;
  private final int maxBatchSize;
  /** Whether rows at one point share a forward pass ({@link #gradients}): on a CPU only. */
  private final boolean shareForward;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger interactive = new AtomicInteger();
  private final BatchingQueue<GradientRow, GradientResult> queue;
  private final MeterRegistry registry;
  private final Gauge runningGauge;

  GradientScheduler(ClassifierModel model, AttackProperties properties, MeterRegistry registry) {
    this(model, properties, registry, Tags.empty());
  }

  /** A scheduler whose meters carry {@code tags} (model and version); they go when it closes. */
  GradientScheduler(ClassifierModel model, AttackProperties properties, MeterRegistry registry, Tags tags) {
    this.network = model.gradient();
    this.height = model.preprocessing().height();
    this.width = model.preprocessing().width();
    this.inputSize = model.preprocessing().inputSize();
    this.classes = model.classes();
    this.maxBatchSize = properties.maxBatchSize();
    this.shareForward = !network.device().isGpu();
    this.registry = registry;
    this.runningGauge = Gauge.builder("advlab.attacks.running", running, AtomicInteger::get)
        .description("Attacks currently running").tags(tags).register(registry);
    BatchingQueue.Settings settings = new BatchingQueue.Settings("attack", 1, properties.queueSize(),
        properties.maxBatchSize(), properties.maxBatchDelay(), METERS, tags);
    this.queue = new BatchingQueue<>(settings, this::keepWaiting, this::networkRows, () -> this::gradients, registry);
  }

  /**
   * Waits for the steps of running interactive attacks only. Background steps (an evaluation's)
   * are never waited for: they join whatever pass comes next, and steps queue up by themselves
   * while a pass runs. Waiting for every one of an evaluation's images in lockstep let the slowest
   * image thread hold each pass back (an evaluation ran faster while an interactive attack cut
   * those waits short: 36.9 against 31.3 images/s in one run of {@code bench/run.sh evaluate}).
   */
  private boolean keepWaiting(int jobs, int urgentJobs, int busy, int workers) {
    return urgentJobs < interactive.get();
  }

  /** An interactive attack (a request): see {@link #open(boolean)}. */
  Session open() {
    return open(false);
  }

  /**
   * Registers a running attack, so the scheduler knows how many steps to wait for before it runs a
   * batch; close the returned handle when the attack ends. {@code background} attacks (an
   * evaluation's) are not waited for; submit their steps through the session.
   */
  Session open(boolean background) {
    running.incrementAndGet();
    if (!background) {
      interactive.incrementAndGet();
    }
    return new Session(background);
  }

  /** A running attack; closing it stops the scheduler from waiting for its steps. */
  final class Session implements AutoCloseable {
    private final boolean background;
    private boolean closed;

    private Session(boolean background) {
      this.background = background;
    }

    /**
     * Queues one step of this attack ({@link GradientScheduler#submit(List, boolean)}), interactive
     * unless the session is a background one.
     */
    CompletableFuture<List<GradientResult>> submit(List<GradientRow> rows) {
      return GradientScheduler.this.submit(rows, !background);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        running.decrementAndGet();
        if (!background) {
          interactive.decrementAndGet();
        }
      }
    }
  }

  /**
   * Queues one step (one or more rows that run in the same batch). The future completes with one
   * result per row; cancel it to drop the step. 503 when the queue is full; 400 naming
   * {@code params.eot} when its rows times their draws exceed {@code max-batch-size}.
   */
  CompletableFuture<List<GradientResult>> submit(List<GradientRow> rows) {
    return submit(rows, true);
  }

  /** As {@link #submit(List)}; {@code interactive} steps are those a batch waits for first. */
  CompletableFuture<List<GradientResult>> submit(List<GradientRow> rows, boolean interactive) {
    for (GradientRow row : rows) {
      if (row.input() != null && row.input().length != inputSize) {
        throw new IllegalArgumentException("row has " + row.input().length + " floats, expected " + inputSize);
      }
    }
    if (rows.stream().allMatch(r -> r.draws().size() <= 1)) {
      return enqueue(rows, interactive);
    }
    List<GradientRow> expanded = Eot.expand(rows);
    int needed = networkRows(expanded);
    if (needed > maxBatchSize) {
      throw ApiException.invalidField("params.eot", "A step of " + rows.size() + " row(s) with "
          + rows.get(0).draws().size() + " EOT draws each needs " + needed + " rows in one pass, above"
          + " advlab.attack.max-batch-size " + maxBatchSize + "; lower 'params.eot'.");
    }
    CompletableFuture<List<GradientResult>> job = enqueue(expanded, interactive);
    CompletableFuture<List<GradientResult>> folded = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        job.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning);
      }
    };
    job.whenComplete((results, failure) -> {
      if (failure != null) {
        folded.completeExceptionally(failure);
      } else {
        folded.complete(Eot.fold(rows, results));
      }
    });
    return folded;
  }

  /**
   * Queues a step, or runs a background step at once on the calling thread while no interactive
   * attack is running and the queue is idle: nothing would join its pass, and the hand-offs to the
   * scheduler's thread and back cost two thread wake-ups per step (an evaluation's lane driver
   * steps about 60 times a second on digits). An interactive attack that starts meanwhile queues
   * its step and waits for this pass, as it waits for a pass the scheduler's thread already runs.
   */
  private CompletableFuture<List<GradientResult>> enqueue(List<GradientRow> rows, boolean interactive) {
    if (!interactive && this.interactive.get() == 0) {
      try {
        List<GradientResult> results = queue.runIfIdle(rows, this::gradients);
        if (results != null) {
          return CompletableFuture.completedFuture(results);
        }
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return queue.submit(rows, interactive);
  }

  /** The most network rows one pass takes, and so one submission may hold. */
  int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * What {@code rows} take of {@code max-batch-size}: the network inputs their pass forwards, one
   * per EOT draw. On a CPU, rows at one point with the same draws share one input ({@link
   * #gradients}: DeepFool's candidates are one forward and a backward each), so they count once;
   * a pass's memory and forward time grow with its inputs. Counted as rows, eight concurrent
   * DeepFool requests (9 candidate rows each, 72) could never share one pass of 64, and DeepFool
   * with 10 candidates could take at most 7 EOT draws. On a GPU every row is an input of its own.
   */
  int networkRows(List<GradientRow> rows) {
    int count = 0;
    List<GradientRow> counted = new ArrayList<>(rows.size());
    for (GradientRow row : rows) {
      if (shareForward && counted.stream().anyMatch(c -> c.image() == row.image() && c.draws().equals(row.draws()))) {
        continue;
      }
      counted.add(row);
      count += Math.max(1, row.draws().size());
    }
    return count;
  }

  /** Gradient steps waiting now. */
  int waiting() {
    return queue.waiting();
  }

  /** 1 while the gradient thread runs a batch, else 0. */
  int busy() {
    return queue.busy();
  }

  /**
   * One forward pass and the backward passes over {@code rows}; public to the package for tests.
   * On a CPU, rows that share one input array and draw (DeepFool's candidates at one point) are
   * forwarded once, and their objectives take one backward pass each through the retained graph, as
   * a plain PyTorch DeepFool does with {@code retain_graph}: a batch of k copies of the point would
   * cost k forward passes more (resnet18, 2 cores: DeepFool 1.06 s, now 0.71 s). On a GPU the k
   * copies run as one batched pass instead, since there k sequential backward passes cost more than
   * a wider batch (digits DeepFool on an H200: 13 ms batched, 42 ms sequential). Rows of different
   * inputs share every pass; a row's gradient does not depend on the others' (eval mode, the loss a
   * sum over rows).
   */
  List<GradientResult> gradients(List<GradientRow> rows) {
    int n = rows.size();
    int[] slot = new int[n];
    int[] pass = new int[n];
    List<GradientRow> inputs = new ArrayList<>();
    int[] uses = new int[n];
    for (int i = 0; i < n; i++) {
      GradientRow row = rows.get(i);
      int s = shareForward ? 0 : inputs.size();
      while (s < inputs.size() && !(inputs.get(s).image() == row.image() && inputs.get(s).draws().equals(row.draws()))) {
        s++;
      }
      if (s == inputs.size()) {
        inputs.add(row);
      }
      slot[i] = s;
      pass[i] = uses[s]++;
    }
    int m = inputs.size();
    boolean onDevice = inputs.stream().anyMatch(r -> r.iterate() != null);
    FloatBuffer pixels = onDevice ? null : FloatBuffer.allocate(m * inputSize);
    if (!onDevice) {
      for (GradientRow row : inputs) {
        pixels.put(row.input());
      }
      pixels.flip();
    }
    return network.exclusive(collector -> {
      try (NDManager manager = network.newManager()) {
        NDArray x = onDevice ? stack(inputs, manager) : manager.create(pixels, new Shape(m, channels, height, width));
        x.setRequiresGradient(true);
        NDArray logits = logits(x, inputs);
        float[] flatLogits = logits.toFloatArray();
        NDArray logProbabilities = logits.logSoftmax(1);
        float[][] rowLogits = new float[n][];
        float[][] gradients = new float[n][];
        NDArray[] deepFoolGradients = new NDArray[n];
        boolean[] wanted = new boolean[n];
        int lastPass = -1;
        for (int i = 0; i < n; i++) {
          rowLogits[i] = Arrays.copyOfRange(flatLogits, slot[i] * classes, (slot[i] + 1) * classes);
          wanted[i] = rows.get(i).wantsGradient(rowLogits[i]);
          if (wanted[i]) {
            lastPass = Math.max(lastPass, pass[i]);
          }
        }
        for (int p = 0; p <= lastPass; p++) {
          float[] ceWeights = new float[m * classes];
          float[] logitWeights = new float[m * classes];
          boolean any = false;
          for (int i = 0; i < n; i++) {
            if (pass[i] == p && wanted[i]) {
              weigh(rows.get(i).objective(), slot[i], rowLogits[i], ceWeights, logitWeights);
              any = true;
            }
          }
          if (!any) {
            continue;
          }
          NDArray loss = logProbabilities.mul(manager.create(ceWeights, new Shape(m, classes))).sum()
              .add(logits.mul(manager.create(logitWeights, new Shape(m, classes))).sum());
          boolean last = p == lastPass;
          if (last) {
            collector.backward(loss);
          } else {
            GradientNetwork.backwardKeepingGraph(loss);
          }
          NDArray gradient = x.getGradient();
          float[] flatGradient = null;
          Map<LinfIterate, List<Integer>> steps = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            if (pass[i] == p && wanted[i]) {
              DeviceIterate iterate = rows.get(i).iterate();
              if (iterate instanceof LinfIterate linf) {
                steps.computeIfAbsent(linf, k -> new ArrayList<>()).add(slot[i]);
                continue;
              }
              if (iterate instanceof DeepFoolIterate) {
                // DeepFool steps once every candidate's backward has run: keep this one's past the clearing.
                deepFoolGradients[i] = last ? gradient.get(slot[i]) : gradient.get(slot[i]).duplicate();
                continue;
              }
              if (flatGradient == null) {
                flatGradient = gradient.toFloatArray();
              }
              gradients[i] = Arrays.copyOfRange(flatGradient, slot[i] * inputSize, (slot[i] + 1) * inputSize);
            }
          }
          if (!steps.isEmpty()) {
            LinfIterate.stepAll(List.copyOf(steps.keySet()),
                steps.values().stream().map(slots -> meanOf(gradient, slots)).toList());
          }
          if (!last) {
            GradientNetwork.clearGradient(x);
          }
        }
        DeepFoolIterate.stepAll(deepFools(rows, rowLogits, deepFoolGradients));
        List<GradientResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          out.add(new GradientResult(rowLogits[i], gradients[i]));
        }
        return out;
      }
    });
  }

  /**
   * The DeepFool iterates of a pass with their rows' logits and gradients, in row order; an iterate
   * whose rows took no backward (its point was adversarial) is left out.
   */
  private static List<DeepFoolIterate.Evaluated> deepFools(List<GradientRow> rows, float[][] logits,
      NDArray[] gradients) {
    Map<DeepFoolIterate, DeepFoolIterate.Evaluated> byIterate = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).iterate() instanceof DeepFoolIterate iterate) {
        DeepFoolIterate.Evaluated e = byIterate.computeIfAbsent(iterate,
            k -> new DeepFoolIterate.Evaluated(k, new ArrayList<>(), new ArrayList<>()));
        e.logits().add(logits[i]);
        e.gradients().add(gradients[i]);
      }
    }
    return byIterate.values().stream().filter(e -> !e.gradients().contains(null)).toList();
  }

  /**
   * The network input of a pass with iterates on the device: each row's image stacked along N, as
   * a new tensor of the pass (the iterates keep theirs). Host rows in the same pass (DeepFool's,
   * a first step at the clean input) are copied in one by one.
   */
  private NDArray stack(List<GradientRow> inputs, NDManager manager) {
    Shape image = new Shape(channels, height, width);
    NDList parts = new NDList(inputs.size());
    for (GradientRow row : inputs) {
      parts.add(row.iterate() != null ? row.iterate().point(manager, image) : manager.create(row.input(), image));
    }
    NDArray x = NDArrays.stack(parts);
    x.attach(manager);
    return x;
  }

  /**
   * The gradient an iterate steps with: its row's slice of the pass's input gradient, or with EOT
   * the mean over the slices of its draws (what {@link Eot#fold} gives a host row).
   */
  private static NDArray meanOf(NDArray gradient, List<Integer> slots) {
    if (slots.size() == 1) {
      return gradient.get(slots.get(0));
    }
    NDList draws = new NDList(slots.size());
    slots.forEach(slot -> draws.add(gradient.get(slot)));
    return NDArrays.stack(draws).mean(new int[] {0});
  }

  /** Writes the loss weights of one row's objective into the slot of its network input. */
  private void weigh(Objective o, int slot, float[] logits, float[] ceWeights, float[] logitWeights) {
    int at = slot * classes;
    if (o.plusClass() >= 0) {
      logitWeights[at + o.plusClass()] += 1f;
    }
    if (o.minusClass() >= 0) {
      logitWeights[at + o.minusClass()] -= 1f;
    }
    int ceClass = o.ceClass() == Objective.OWN_TOP1 ? Predictions.argmax(logits) : o.ceClass();
    if (ceClass >= 0) {
      ceWeights[at + ceClass] = -o.ceSign();
    }
  }

  /**
   * The logits of every row: the network on {@code x} itself when no row has a draw (the plain
   * path), else on each row as it is or transformed by its one draw, in the graph, so gradients
   * reach {@code x}. Rows whose draws use a larger canvas ({@code defence.padSize}) cannot share a
   * tensor with rows of the model's size: each canvas size is forwarded on its own and the logits
   * are put back in row order.
   */
  private NDArray logits(NDArray x, List<GradientRow> rows) {
    if (rows.stream().allMatch(r -> r.draws().isEmpty())) {
      return network.logits(x);
    }
    Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      List<Draw> draws = rows.get(i).draws();
      if (draws.size() > 1) {
        throw new IllegalArgumentException("rows reach the pass with at most one draw; expand them first");
      }
      long size = draws.isEmpty() ? ((long) height << 32 | width)
          : ((long) draws.get(0).canvasHeight() << 32 | draws.get(0).canvasWidth());
      bySize.computeIfAbsent(size, k -> new ArrayList<>()).add(i);
    }
    if (bySize.size() == 1) {
      return network.logits(transformed(x, rows, bySize.values().iterator().next()));
    }
    NDList parts = new NDList();
    int[] order = new int[rows.size()];
    int at = 0;
    for (List<Integer> group : bySize.values()) {
      parts.add(network.logits(transformed(x, rows, group)));
      for (int row : group) {
        order[row] = at++;
      }
    }
    NDArray grouped = NDArrays.concat(parts, 0);
    long[] index = Arrays.stream(order).asLongStream().toArray();
    return grouped.get(x.getManager().create(index));
  }

  /** The network input of the rows {@code indices} of {@code x}, each transformed by its draw if it has one. */
  private static NDArray transformed(NDArray x, List<GradientRow> rows, List<Integer> indices) {
    if (indices.size() == rows.size() && rows.stream().allMatch(r -> r.draws().isEmpty())) {
      return x;
    }
    NDList parts = new NDList();
    for (int i : indices) {
      NDArray row = x.get(i).expandDims(0);
      List<Draw> draws = rows.get(i).draws();
      parts.add(draws.isEmpty() ? row : Randomization.apply(row, draws.get(0)));
    }
    // NDArrays.concat copies a lone array without its graph: one row must be returned as it is.
    return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
  }

  @Override
  public void close() {
    queue.close();
    registry.remove(runningGauge);
  }
}
