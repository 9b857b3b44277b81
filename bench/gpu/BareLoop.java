import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The PGD-10 loop a Java user would write with DJL alone, state on the device: what separates
 * advlab's GPU PGD from plain PyTorch's, split into what DJL's engine costs and what advlab adds.
 * The same recipe as advlab's GradientNetwork (trainParam, frozen parameters, one training-mode
 * forward, then inference mode; normalization in the graph) and as bench/gpu/peer_pgd.py's loop
 * (resnet18 224x224, batch 1, L∞ eps 8/255, step eps/4, no random start, no early stop, the label
 * the first pass's top-1 kept on the device). Prints one line: median ms of 20 attacks after 3
 * warm-ups, synchronised by reading the result, and of 50 single forward+backward passes and 50
 * forward passes (with the gradient recorded) alone. {@code -Dbare.noOptimize=true} turns
 * TorchScript's graph executor optimizer off first; {@code -Dbare.label} names the line.
 *
 * <p>prepare.sh compiles it against the application's jars; device.sh runs it after the variants
 * with {@code java -cp G:/tmp/app/lib/* BareLoop MODEL_DIR}.
 */
public final class BareLoop {

  private static final float EPS = 8f / 255;
  private static final float STEP = EPS / 4;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Device device = Device.fromName(args.length > 1 ? args[1] : "gpu");
    if (Boolean.getBoolean("bare.noOptimize")) {
      JniUtils.setGraphExecutorOptimize(false);
    }
    Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
        .optModelPath(dir).optEngine("PyTorch").optDevice(device).optTranslator(new NoopTranslator())
        .optOption("mapLocation", "true").optOption("trainParam", "true").build();
    try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
      Block block = model.getBlock();
      block.freezeParameters(true);
      NDManager root = model.getNDManager();
      NDArray mean = root.create(new float[] {0.485f, 0.456f, 0.406f}, new Shape(1, 3, 1, 1));
      NDArray std = root.create(new float[] {0.229f, 0.224f, 0.225f}, new Shape(1, 3, 1, 1));
      try (NDManager probe = root.newSubManager()) {
        block.forward(new ParameterStore(probe, false), new NDList(probe.zeros(new Shape(1, 3, 224, 224))), true);
      }
      JniUtils.enableInferenceMode((PtSymbolBlock) block);
      try (NDManager manager = root.newSubManager()) {
        NDArray x0 = manager.randomUniform(0f, 1f, new Shape(1, 3, 224, 224));
        double attack = medianMs(20, () -> pgd(block, mean, std, x0).toFloatArray());
        double pass = medianMs(50, () -> pass(block, mean, std, x0, true));
        double forward = medianMs(50, () -> pass(block, mean, std, x0, false));
        System.out.printf(Locale.ROOT, "bare DJL %s %s pgd10 batch1 ms=%.1f pass ms=%.2f forward ms=%.2f%n", device,
            System.getProperty("bare.label", "default"), attack, pass, forward);
      }
    }
  }

  /** One forward pass at {@code x0} with the gradient recorded, and the backward if {@code backward}, synchronised. */
  private static void pass(Block block, NDArray mean, NDArray std, NDArray x0, boolean backward) {
    try (NDManager scope = x0.getManager().newSubManager();
        GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray x = x0.duplicate();
      x.attach(scope);
      x.setRequiresGradient(true);
      NDArray logits = logits(block, mean, std, x);
      if (backward) {
        collector.backward(logits.logSoftmax(1).get(":, 0").neg().sum());
        x.getGradient().sum().getFloat();
      } else {
        logits.sum().getFloat();
      }
    }
  }

  /** Median ms of {@code runs} calls of {@code work} after 3 warm-up calls. */
  private static double medianMs(int runs, Runnable work) {
    double[] ms = new double[runs];
    for (int r = -3; r < runs; r++) {
      long start = System.nanoTime();
      work.run();
      if (r >= 0) {
        ms[r] = (System.nanoTime() - start) / 1e6;
      }
    }
    return median(ms);
  }

  private static NDArray pgd(Block block, NDArray mean, NDArray std, NDArray x0) {
    NDManager manager = x0.getManager();
    NDArray x = x0.duplicate();
    NDArray onehot = null;
    for (int s = 0; s < 10; s++) {
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray xs = x.duplicate();
        xs.attach(step);
        xs.setRequiresGradient(true);
        NDArray logits = logits(block, mean, std, xs);
        if (onehot == null) {
          onehot = logits.argMax(1).oneHot((int) logits.getShape().get(1));
          onehot.attach(manager);
        }
        collector.backward(logits.logSoftmax(1).mul(onehot).sum().neg());
        NDArray next = xs.add(xs.getGradient().sign().mul(STEP)).sub(x0).clip(-EPS, EPS).add(x0).clip(0, 1);
        next.attach(manager);
        x = next;
      }
    }
    return x;
  }

  private static NDArray logits(Block block, NDArray mean, NDArray std, NDArray pixels) {
    return block.forward(new ParameterStore(pixels.getManager(), false), new NDList(pixels.sub(mean).div(std)), true)
        .head();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
