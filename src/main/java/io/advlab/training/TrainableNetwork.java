package io.advlab.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import io.advlab.model.GradientNetwork;
import io.advlab.model.GraphOptimizer;
import io.advlab.model.Preprocessing;
import io.advlab.model.TorchThread;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A trainable copy of a TorchScript classifier: loaded with {@code trainParam=true} (its own
 * instance: the served ones are never touched), an Adam {@link Trainer}, and explicit switching
 * between eval mode (crafting attacks, validation, saving: BatchNorm on running statistics, dropout
 * off) and train mode (the weight update). DJL's own train flag stays true, so every forward records
 * the graph; the module's mode is set by {@link JniUtils} before each pass.
 *
 * <p>Weights are frozen (no weight gradients) except during the update step. Every pass that
 * collects gradients takes the JVM-wide gradient lock for that one pass only, at low priority
 * ({@link GradientNetwork#exclusiveYielding}), so interactive attacks interleave with training.
 */
final class TrainableNetwork implements AutoCloseable {

  /** What one update step saw: mean loss and correct predictions over its rows. */
  record StepResult(double loss, int correct, int rows) {}

  private final ZooModel<NDList, NDList> model;
  private final PtSymbolBlock block;
  private final Trainer trainer;
  private final Preprocessing preprocessing;
  private final boolean freezeBatchNorm;
  private final Duration yield;
  private final List<Parameter> trainable = new ArrayList<>();
  private final ParameterStore evalStore;

  /**
   * @param file a TorchScript file (the parent's, or a checkpoint of this job)
   * @param device where to train (the parent's device)
   */
  TrainableNetwork(Path file, Device device, Preprocessing preprocessing, Recipe recipe, LearningRate rate,
      Duration yield) throws IOException {
    this.preprocessing = preprocessing;
    this.freezeBatchNorm = recipe.freezesBatchNorm();
    this.yield = yield;
    String name = file.getFileName().toString().replaceFirst("\\.pt$", "");
    GraphOptimizer.offUnlessSet();
    try {
      this.model = Criteria.builder().setTypes(NDList.class, NDList.class)
          .optModelPath(file.getParent()).optModelName(name).optEngine("PyTorch").optDevice(device)
          .optTranslator(new NoopTranslator()).optOption("mapLocation", "true").optOption("trainParam", "true")
          .build().loadModel();
    } catch (ai.djl.MalformedModelException | ai.djl.repository.zoo.ModelNotFoundException e) {
      throw new IOException("cannot load " + file + " for training: " + e.getMessage(), e);
    }
    this.block = (PtSymbolBlock) model.getBlock();
    this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(rate).build())
        .optDevices(new Device[] {device}));
    TorchThread.get(() -> {
      trainer.initialize(new Shape(1, 3, preprocessing.height(), preprocessing.width()));
      return null;
    });
    List<String> frozen = recipe.frozenPrefixes();
    List<String> unmatched = new ArrayList<>(frozen);
    for (Pair<String, Parameter> p : block.getParameters()) {
      boolean freeze = frozen.stream().anyMatch(prefix -> p.getKey().startsWith(prefix));
      frozen.stream().filter(prefix -> p.getKey().startsWith(prefix)).forEach(unmatched::remove);
      if (!freeze) {
        trainable.add(p.getValue());
      }
      p.getValue().freeze(true);
    }
    if (!unmatched.isEmpty()) {
      close();
      throw new IllegalArgumentException("'params.freeze' names " + unmatched + ", which match no parameter of the"
          + " model (parameters: " + block.getParameters().keys().stream().limit(12).toList() + "...)");
    }
    this.evalStore = new ParameterStore(model.getNDManager(), false);
  }

  /** A manager on the network's device for one batch's arrays; close it after the batch. */
  NDManager newManager() {
    return model.getNDManager().newSubManager();
  }

  /** Logits in eval mode; inside a gradient pass when the input requires a gradient. */
  NDArray evalLogits(NDArray pixels) {
    JniUtils.enableInferenceMode(block);
    return block.forward(evalStore, new NDList(preprocessing.normalize(pixels)), true).head();
  }

  /**
   * One input-gradient pass in eval mode, under the gradient lock: the sign of the gradient of the
   * summed cross-entropy of {@code pixels} against {@code labels} with respect to the pixels.
   */
  NDArray gradientSign(NDArray pixels, NDArray labels) throws InterruptedException {
    return GradientNetwork.exclusiveYielding(yield, collector -> {
      pixels.setRequiresGradient(true);
      try {
        NDArray loss = crossEntropy(evalLogits(pixels), labels).sum();
        collector.backward(loss);
        return pixels.getGradient().sign();
      } finally {
        pixels.setRequiresGradient(false);
      }
    });
  }

  /** One optimizer update on a batch of pixels and labels, in train mode (eval when BatchNorm is frozen). */
  StepResult update(NDArray pixels, NDArray labels) throws InterruptedException {
    return GradientNetwork.exclusiveYielding(yield, collector -> {
      trainable.forEach(p -> p.freeze(false));
      try {
        if (freezeBatchNorm) {
          JniUtils.enableInferenceMode(block);
        } else {
          JniUtils.enableTrainingMode(block);
        }
        NDArray logits = trainer.forward(new NDList(preprocessing.normalize(pixels))).head();
        NDArray loss = crossEntropy(logits, labels).mean();
        collector.backward(loss);
        trainer.step();
        zeroGradients();
        int correct = (int) logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false)
            .eq(labels.toType(ai.djl.ndarray.types.DataType.INT64, false)).sum().getLong();
        return new StepResult(loss.getFloat(), correct, Math.toIntExact(labels.size()));
      } finally {
        trainable.forEach(p -> p.freeze(true));
        JniUtils.enableInferenceMode(block);
      }
    });
  }

  /** Per-row cross-entropy of logits against integer labels. */
  static NDArray crossEntropy(NDArray logits, NDArray labels) {
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray oneHot = labels.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(classes)
        .toType(logits.getDataType(), false);
    return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
  }

  /** Gradients left by the update are cleared, so the next one starts from zero. */
  private void zeroGradients() {
    for (Parameter p : trainable) {
      NDArray weights = p.getArray();
      if (weights.hasGradient()) {
        try (NDArray g = weights.getGradient()) {
          g.subi(g);
        }
      }
    }
  }

  /**
   * Writes the module, in eval mode, as a plain TorchScript file that {@code torch.jit.load} reads
   * (not DJL's {@code .params} format), written beside {@code target} and renamed onto it.
   */
  void save(Path target) throws IOException {
    JniUtils.enableInferenceMode(block);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      JniUtils.writeModule(block, out, false);
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }
}
