package io.advlab.model;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loaded network and everything known about it: the inference instance (served through
 * {@link InferenceBatcher}), the {@link GradientNetwork} used by attacks, labels, preprocessing and
 * device. A Spring bean, closed on shutdown.
 */
public final class ClassifierModel implements AutoCloseable {

  private final String name;
  private final String source;
  private final ZooModel<NDList, NDList> inference;
  private final GradientNetwork gradient;
  private final Preprocessing preprocessing;
  private final ImagePreprocessor preprocessor;
  private final Labels labels;
  private final int classes;
  private final long parameterCount;
  /** Input sizes other than the model's, probed once each: (height << 32 | width) → accepted. */
  private final Map<Long, Boolean> accepted = new ConcurrentHashMap<>();

  ClassifierModel(String name, String source, ZooModel<NDList, NDList> inference, GradientNetwork gradient,
      Preprocessing preprocessing, Labels labels, int classes, long parameterCount) {
    this.name = name;
    this.source = source;
    this.inference = inference;
    this.gradient = gradient;
    this.preprocessing = preprocessing;
    this.preprocessor = new ImagePreprocessor(preprocessing);
    this.labels = labels;
    this.classes = classes;
    this.parameterCount = parameterCount;
  }

  public String name() {
    return name;
  }

  /** Where the model was loaded from, as configured. */
  public String source() {
    return source;
  }

  public Device device() {
    return inference.getNDManager().getDevice();
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** Turns decoded images into this model's input. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  public Labels labels() {
    return labels;
  }

  /** Number of network outputs (logits). */
  public int classes() {
    return classes;
  }

  public long parameterCount() {
    return parameterCount;
  }

  /**
   * Whether the network takes inputs of {@code height x width} and still gives one logit per class:
   * true for its own size; other sizes (a defence's larger canvas) are probed once with a zero
   * image, since only the network knows (ResNets pool adaptively, a flattening classifier fails).
   */
  public boolean accepts(int height, int width) {
    if (height == preprocessing.height() && width == preprocessing.width()) {
      return true;
    }
    return accepted.computeIfAbsent(((long) height << 32) | width, key -> probe(height, width));
  }

  private boolean probe(int height, int width) {
    try (Predictor<float[][], float[][]> predictor =
        inference.newPredictor(new BatchTranslator(preprocessing.sized(height, width)))) {
      float[][] logits = predictor.predict(new float[][] {new float[3 * height * width]});
      return logits.length == 1 && logits[0].length == classes;
    } catch (Exception e) {
      return false;
    }
  }

  /** The differentiable instance for input gradients (attacks). */
  public GradientNetwork gradient() {
    return gradient;
  }

  /**
   * The TorchScript file this model was loaded from, in the local folder DJL loaded it from (a
   * copy for zoo and archive URLs): what fine-tuning starts from.
   */
  public java.nio.file.Path modelFile() {
    java.nio.file.Path dir = inference.getModelPath();
    java.nio.file.Path named = dir.resolve(inference.getName() + ".pt");
    if (java.nio.file.Files.isRegularFile(named)) {
      return named;
    }
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      List<java.nio.file.Path> pts = files.filter(f -> f.getFileName().toString().endsWith(".pt")).toList();
      if (pts.size() == 1) {
        return pts.get(0);
      }
      throw new IllegalStateException("cannot tell the TorchScript file of " + name + " in " + dir + ": " + pts);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  ZooModel<NDList, NDList> inference() {
    return inference;
  }

  @Override
  public void close() {
    gradient.close();
    inference.close();
  }
}
