package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.TestRequirements;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Inputs larger than the model's own (the randomization defence's {@code padSize}): a network that
 * pools adaptively takes them, one with a fixed input size is found out by the probe, and the
 * inference pool runs both sizes in one batch with each row's logits equal to its solo pass.
 */
class LargerCanvasTests {

  @Test
  void onlyNetworksThatPoolAdaptivelyAcceptALargerCanvas() {
    TestRequirements.assumeSharedModel("resnet18-untrained");
    try (ClassifierModel resnet = TestModels.load("resnet18-untrained");
        ClassifierModel digits = TestModels.load("digits")) {
      assertThat(resnet.accepts(224, 224)).isTrue();
      assertThat(resnet.accepts(248, 248)).isTrue();
      assertThat(digits.accepts(32, 32)).isTrue();
      assertThat(digits.accepts(36, 36)).as("a flattening classifier needs 32 x 32").isFalse();
    }
  }

  @Test
  void bothSizesShareABatchAndKeepTheirOwnLogits() throws Exception {
    TestRequirements.assumeSharedModel("resnet18-untrained");
    try (ClassifierModel model = TestModels.load("resnet18-untrained")) {
      ModelProperties oneAtATime = properties(Duration.ZERO);
      Random random = new Random(4);
      float[] plain = random(3 * 224 * 224, random);
      float[] canvas = random(3 * 248 * 248, random);
      float[] plainAlone;
      float[] canvasAlone;
      try (InferenceBatcher batcher = new InferenceBatcher(model, oneAtATime, new SimpleMeterRegistry())) {
        plainAlone = batcher.logits(plain);
        canvasAlone = batcher.logitsTogether(List.of(canvas), 248, 248).get(0);
      }
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (InferenceBatcher batcher = new InferenceBatcher(model, properties(Duration.ofMillis(500)), registry)) {
        batcher.logits(plain); // warm the worker, so both requests below find it gathering
        CompletableFuture<float[]> a = CompletableFuture.supplyAsync(() -> batcher.logits(plain));
        CompletableFuture<float[]> b = CompletableFuture.supplyAsync(
            () -> batcher.logitsTogether(List.of(canvas), 248, 248).get(0));
        assertThat(maxDiff(a.get(), plainAlone)).isLessThan(1e-4);
        assertThat(maxDiff(b.get(), canvasAlone)).isLessThan(1e-4);
        assertThat(maxDiff(canvasAlone, plainAlone)).isGreaterThan(1e-3);
      }
    }
  }

  private static ModelProperties properties(Duration delay) {
    return new ModelProperties(TestRequirements.sharedModel("resnet18-untrained").toString(), "", "cpu", 1, 0, 8,
        delay, 64, Duration.ofSeconds(60));
  }

  private static float[] random(int n, Random random) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextFloat();
    }
    return out;
  }

  private static double maxDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
