package io.advlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.advlab.model.TorchThread;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The epochs of one fine-tuning: shuffle (seeded per epoch), make each batch's rows with the
 * network in eval mode, update in train mode, validate after each epoch (clean and robust
 * accuracy), write a checkpoint per finished epoch, and stop early when robust validation accuracy
 * collapses (catastrophic overfitting, Wong et al. 2020). Knows nothing of jobs or HTTP: a
 * {@link Listener} hears progress, says when to stop, and keeps the checkpoints.
 */
final class TrainingLoop {

  /** Hears the loop; may stop it. */
  interface Listener {
    /** After each batch, with the epoch's running loss and accuracy so far. */
    void batch(int epoch, int batch, int batches, double loss, double accuracy);

    /** Whether the job was cancelled; checked between batches. */
    boolean cancelled();

    /** Where epoch {@code epoch}'s weights go. */
    Path checkpoint(int epoch);

    /** After each epoch, once its checkpoint is written. */
    void epoch(EpochFigures figures);
  }

  /** How the loop ended: its epochs (those done before a resume included) and the one to keep. */
  record Outcome(List<EpochFigures> epochs, int bestEpoch, String stoppedEarly, boolean cancelled) {}

  private final TrainableNetwork net;
  private final Recipe recipe;
  private final TrainingData training;
  private final TrainingData validation;
  private final int height;
  private final int width;

  TrainingLoop(TrainableNetwork net, Recipe recipe, TrainingData training, TrainingData validation, int height,
      int width) {
    this.net = net;
    this.recipe = recipe;
    this.training = training;
    this.validation = validation;
    this.height = height;
    this.width = width;
  }

  /** Updates per epoch: one per batch. */
  static int batches(int images, int batchSize) {
    return (images + batchSize - 1) / batchSize;
  }

  /** Runs the epochs after {@code done} (empty for a new job, the finished ones for a resumed job). */
  Outcome run(List<EpochFigures> done, Listener listener) throws InterruptedException, IOException {
    List<EpochFigures> epochs = new ArrayList<>(done);
    for (int epoch = done.size() + 1; epoch <= recipe.epochs(); epoch++) {
      EpochFigures figures = epoch(epoch, listener);
      if (figures == null) {
        return new Outcome(epochs, best(epochs), null, true);
      }
      net.save(listener.checkpoint(epoch));
      epochs.add(figures);
      listener.epoch(figures);
      String collapse = collapse(epochs, recipe.collapse());
      if (collapse != null) {
        return new Outcome(epochs, best(epochs), collapse, false);
      }
    }
    return new Outcome(epochs, best(epochs), null, false);
  }

  /** One epoch and its validation; null when cancelled. */
  private EpochFigures epoch(int epoch, Listener listener) throws InterruptedException {
    long start = System.nanoTime();
    List<Integer> order = TrainingData.shuffled(training.size(), mix(recipe.seed(), epoch, -1));
    int batches = batches(order.size(), recipe.batchSize());
    double lossSum = 0;
    long correct = 0;
    long rows = 0;
    for (int b = 0; b < batches; b++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("fine-tuning interrupted");
      }
      if (listener.cancelled()) {
        return null;
      }
      List<Integer> indices = order.subList(b * recipe.batchSize(), Math.min(order.size(), (b + 1) * recipe.batchSize()));
      try (NDManager manager = net.newManager()) {
        TrainableNetwork.StepResult step = trainBatch(manager, training.subset(indices), mix(recipe.seed(), epoch, b));
        lossSum += step.loss() * step.rows();
        correct += step.correct();
        rows += step.rows();
      }
      listener.batch(epoch, b + 1, batches, lossSum / rows, (double) correct / rows);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] accuracy = validate();
    return new EpochFigures(epoch, lossSum / rows, (double) correct / rows, accuracy[0], accuracy[1],
        Math.round(seconds * 100) / 100.0);
  }

  private TrainableNetwork.StepResult trainBatch(NDManager manager, TrainingData batch, long seed)
      throws InterruptedException {
    NDArray x = TorchThread.get(() -> pixels(manager, batch));
    NDArray y = manager.create(batch.labels());
    NDArray rowsX;
    NDArray rowsY;
    if (recipe.method() == Method.CLEAN) {
      rowsX = x;
      rowsY = y;
    } else {
      NDArray crafted = Examples.craft(net, recipe.method(), recipe.eps(), recipe.stepSize(), recipe.steps(), x, y,
          seed);
      int clean = Math.min(recipe.cleanRows(batch.size()), batch.size());
      if (clean == 0) {
        rowsX = crafted;
        rowsY = y;
      } else {
        rowsX = TorchThread.get(() -> NDArrays.concat(new NDList(x.get("0:" + clean), crafted), 0));
        rowsY = NDArrays.concat(new NDList(y.get("0:" + clean), y), 0);
      }
    }
    return net.update(rowsX, rowsY);
  }

  /**
   * Validation accuracy: {@code [clean, robust]}. The robust attack's random starts are the same
   * every epoch, so epochs are compared on the same attack.
   */
  double[] validate() throws InterruptedException {
    int chunk = Math.max(recipe.batchSize(), 100);
    long clean = 0;
    long robust = 0;
    for (int first = 0; first < validation.size(); first += chunk) {
      List<Integer> indices = new ArrayList<>();
      for (int i = first; i < Math.min(validation.size(), first + chunk); i++) {
        indices.add(i);
      }
      TrainingData part = validation.subset(indices);
      try (NDManager manager = net.newManager()) {
        NDArray x = TorchThread.get(() -> pixels(manager, part));
        NDArray y = manager.create(part.labels());
        clean += TorchThread.get(() -> correct(net.evalLogits(x), y));
        NDArray attacked = recipe.method() == Method.SEMANTIC ? Examples.negative(x)
            : Examples.pgd(net, x, y, recipe.eps(), recipe.eps() / 4, recipe.validationSteps(),
                mix(recipe.seed(), 0, first) ^ 0x5DEECE66DL);
        robust += TorchThread.get(() -> correct(net.evalLogits(attacked), y));
      }
    }
    return new double[] {(double) clean / validation.size(), (double) robust / validation.size()};
  }

  private static long correct(NDArray logits, NDArray labels) {
    return logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false)
        .eq(labels.toType(ai.djl.ndarray.types.DataType.INT32, false)).sum().getLong();
  }

  private NDArray pixels(NDManager manager, TrainingData data) {
    int size = 3 * height * width;
    FloatBuffer buffer = FloatBuffer.allocate(data.size() * size);
    data.pixels().forEach(buffer::put);
    buffer.flip();
    return manager.create(buffer, new Shape(data.size(), 3, height, width));
  }

  /**
   * The early stop: a message when the last epoch's robust validation accuracy is more than
   * {@code drop} below the best epoch's so far, else null.
   */
  static String collapse(List<EpochFigures> epochs, double drop) {
    EpochFigures last = epochs.get(epochs.size() - 1);
    EpochFigures best = epochs.get(best(epochs) - 1);
    if (best.robustAccuracy() - last.robustAccuracy() > drop) {
      return String.format(java.util.Locale.ROOT, "robust validation accuracy collapsed from %.3f (epoch %d) to %.3f"
          + " (epoch %d): catastrophic overfitting; keeping epoch %d", best.robustAccuracy(), best.epoch(),
          last.robustAccuracy(), last.epoch(), best.epoch());
    }
    return null;
  }

  /** The epoch (1-based) with the highest robust validation accuracy, the later one on a tie; 0 for none. */
  static int best(List<EpochFigures> epochs) {
    int best = 0;
    double top = -1;
    for (EpochFigures e : epochs) {
      if (e.robustAccuracy() >= top) {
        top = e.robustAccuracy();
        best = e.epoch();
      }
    }
    return best;
  }

  /** A seed for one epoch and batch of a job, so each batch's randomness is fixed by the job's seed. */
  static long mix(long seed, int epoch, int batch) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + batch * 0x165667B19E3779F9L;
    h ^= h >>> 33;
    return h * 0xFF51AFD7ED558CCDL;
  }
}
