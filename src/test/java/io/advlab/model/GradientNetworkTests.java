package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.inference.Predictor;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gradient instance on ResNet18 (BatchNorm, so eval mode matters): input gradients flow, its
 * logits equal the inference instance's, and gradient passes change neither instance.
 */
@RequiresSharedModel("resnet18-untrained")
class GradientNetworkTests {

  private static ClassifierModel model;

  @BeforeAll
  static void load() {
    var properties = new ModelProperties(TestRequirements.sharedModel("resnet18-untrained").toString(), "", "cpu", 1, 0,
        8, Duration.ofMillis(1), 8, Duration.ofSeconds(30));
    model = new ModelLoader(properties).load();
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void logitsEqualInferenceInstanceAndGradientsFlow() throws Exception {
    float[][] batch = randomBatch(3, 42);
    float[][] before = infer(batch);

    float[][] gradientLogits = new float[3][];
    float gradientNorm = model.gradient().exclusive(collector -> {
      try (NDManager manager = model.gradient().newManager()) {
        NDArray x = manager.create(flatten(batch), new Shape(3, 3, 224, 224));
        x.setRequiresGradient(true);
        NDArray logits = model.gradient().logits(x);
        float[] flat = logits.toFloatArray();
        for (int i = 0; i < 3; i++) {
          gradientLogits[i] = java.util.Arrays.copyOfRange(flat, i * 1000, (i + 1) * 1000);
        }
        collector.backward(logits.get(":, 7").sum());
        return x.getGradient().abs().sum().getFloat();
      }
    });

    assertThat(gradientNorm).as("input gradient magnitude").isGreaterThan(0f);
    for (int i = 0; i < 3; i++) {
      assertThat(maxAbsDiff(gradientLogits[i], before[i])).as("logit difference, image " + i).isLessThan(1e-4f);
    }
    assertThat(maxAbsDiff(flatten(infer(batch)), flatten(before)))
        .as("inference output after a gradient pass (BatchNorm statistics untouched)").isEqualTo(0f);
  }

  @Test
  void parametersReceiveNoGradient() {
    model.gradient().exclusive(collector -> {
      try (NDManager manager = model.gradient().newManager()) {
        NDArray x = manager.create(randomBatch(1, 7)[0], new Shape(1, 3, 224, 224));
        x.setRequiresGradient(true);
        collector.backward(model.gradient().logits(x).sum());
        return null;
      }
    });
    var parameters = model.gradient().block().getParameters();
    assertThat(parameters.size()).as("parameters of resnet18").isGreaterThan(50);
    parameters.forEach(p -> {
      assertThat(p.getValue().requiresGradient()).as(p.getKey() + " requires gradient").isFalse();
      assertThat(p.getValue().getArray().hasGradient()).as(p.getKey() + " has a gradient").isFalse();
    });
  }

  private static float[][] infer(float[][] batch) throws Exception {
    try (Predictor<float[][], float[][]> p = model.inference().newPredictor(new BatchTranslator(model.preprocessing()))) {
      return p.predict(batch);
    }
  }

  private static float[][] randomBatch(int n, long seed) {
    Random random = new Random(seed);
    float[][] out = new float[n][3 * 224 * 224];
    for (float[] image : out) {
      for (int i = 0; i < image.length; i++) {
        image[i] = random.nextFloat();
      }
    }
    return out;
  }

  private static float[] flatten(float[][] batch) {
    float[] out = new float[batch.length * batch[0].length];
    for (int i = 0; i < batch.length; i++) {
      System.arraycopy(batch[i], 0, out, i * batch[0].length, batch[0].length);
    }
    return out;
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
