package io.advlab.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A second instance of the network prepared for gradients with respect to its input, as
 * {@code NOTES-DJL.md} describes: loaded with {@code trainParam=true}, parameters frozen, forwarded
 * once with {@code training=true} and then put back into eval mode, so BatchNorm keeps its running
 * statistics and its logits equal the inference instance's.
 *
 * <p>PyTorch allows one {@link GradientCollector} per JVM, so all gradient work runs through
 * {@link #exclusive(Function)}, under one lock shared by every loaded model. Never forward this instance with {@code training=false}.
 */
public final class GradientNetwork implements AutoCloseable {

  private final ZooModel<NDList, NDList> model;
  private final Preprocessing preprocessing;
  /**
   * The normalization's mean and std on the model's device, made once: made per pass (as
   * {@link Preprocessing#normalize} does), each is a copy to the device, which on a GPU waits for
   * the stream.
   */
  private final NDArray mean;
  private final NDArray std;
  /** One for the JVM, like PyTorch's collector: every model's gradient work takes turns. */
  private static final ReentrantLock LOCK = new ReentrantLock(true);

  GradientNetwork(ZooModel<NDList, NDList> model, Preprocessing preprocessing) {
    this.model = model;
    this.preprocessing = preprocessing;
    Block block = model.getBlock();
    block.freezeParameters(true);
    Shape channels = new Shape(1, 3, 1, 1);
    this.mean = TorchThread.get(() -> model.getNDManager().create(preprocessing.mean(), channels));
    this.std = TorchThread.get(() -> model.getNDManager().create(preprocessing.std(), channels));
    TorchThread.get(() -> {
      try (NDManager manager = model.getNDManager().newSubManager()) {
        NDArray probe = manager.zeros(new Shape(1, 3, preprocessing.height(), preprocessing.width()));
        block.forward(new ParameterStore(manager, false), new NDList(preprocessing.normalize(probe)), true);
      }
      JniUtils.enableInferenceMode((PtSymbolBlock) block);
      return null;
    });
  }

  /**
   * Runs {@code work} on the {@link TorchThread} with the JVM-wide gradient collector, holding the
   * lock that serializes all gradient work. The collector (and PyTorch's thread-local grad mode it
   * switches on) lives on the torch thread and is closed when {@code work} returns. The lock is
   * taken before the hop, so a caller waiting for it never occupies the torch thread.
   */
  public <T> T exclusive(Function<GradientCollector, T> work) {
    LOCK.lock();
    try {
      return withCollector(work);
    } finally {
      LOCK.unlock();
    }
  }

  private static <T> T withCollector(Function<GradientCollector, T> work) {
    return TorchThread.get(() -> {
      try (GradientCollector collector = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
        return work.apply(collector);
      }
    });
  }

  /**
   * Runs {@code work} with the JVM-wide gradient collector at low priority, for background work
   * (fine-tuning): while other threads wait for the lock (interactive attacks, evaluation shards)
   * it lets them go first, for at most {@code maxYield}, then queues fairly like everyone else, so
   * a busy service cannot starve it for ever. Hold it for one pass, not for a whole job.
   */
  public static <T> T exclusiveYielding(java.time.Duration maxYield, Function<GradientCollector, T> work)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxYield.toNanos();
    boolean locked = false;
    while (!locked && System.nanoTime() < deadline) {
      locked = !LOCK.hasQueuedThreads() && LOCK.tryLock();
      if (!locked) {
        Thread.sleep(2);
      }
    }
    if (!locked) {
      LOCK.lockInterruptibly();
    }
    try {
      return withCollector(work);
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Logits for pixels in [0,1] of shape N x 3 x H x W; normalization is part of the graph. Call
   * inside {@link #exclusive(Function)} with {@code pixels.setRequiresGradient(true)} to get
   * input gradients.
   */
  public NDArray logits(NDArray pixels) {
    NDList out = model.getBlock().forward(
        new ParameterStore(pixels.getManager(), false), new NDList(pixels.sub(mean).div(std)), true);
    return out.head();
  }

  /**
   * Backward from the scalar {@code loss} that keeps the graph for another backward pass from the
   * same forward (PyTorch's {@code retain_graph}); DJL's collector always frees it. Call inside
   * {@link #exclusive(Function)}, and {@link #clearGradient} between passes, since gradients add up.
   */
  public static void backwardKeepingGraph(NDArray loss) {
    NDArray seed = loss.onesLike();
    JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) loss, (ai.djl.pytorch.engine.PtNDArray) seed, true, false);
  }

  /** Zeroes the gradient accumulated on {@code input} by earlier backward passes. */
  public static void clearGradient(NDArray input) {
    JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) input);
  }

  /** A manager on the network's device for per-request tensors; close it after the request. */
  public NDManager newManager() {
    return model.getNDManager().newSubManager();
  }

  Block block() {
    return model.getBlock();
  }

  public Device device() {
    return model.getNDManager().getDevice();
  }

  @Override
  public void close() {
    model.close();
  }
}
