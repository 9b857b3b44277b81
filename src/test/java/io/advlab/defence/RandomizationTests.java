package io.advlab.defence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The transform's geometry (size, offset, flip, zero padding) and that gradients flow through it
 * to every input value, as EOT needs.
 */
class RandomizationTests {

  private static final int S = 8;

  @Test
  void aLargerCanvasHoldsTheWholeImageAtItsOffset() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray ones = manager.ones(new Shape(1, 3, S, S));
      NDArray out = Randomization.apply(ones, new Draw(S, S, 1, 2, false, S + 2, S + 3));
      assertThat(out.getShape()).isEqualTo(new Shape(1, 3, S + 2, S + 3));
      assertThat(out.sum().getFloat()).as("every input value kept, nothing scaled").isCloseTo(3f * S * S, within(1e-3f));
      assertThat(out.get("0, :, 0, :").sum().getFloat()).as("the top row is padding").isZero();
      assertThat(out.get("0, :, 1, 2").sum().getFloat()).isCloseTo(3f, within(1e-6f));
    }
  }

  @Test
  void resizedImageSitsAtItsOffsetOnZeros() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray ones = manager.ones(new Shape(1, 3, S, S));
      float[] out = Randomization.apply(ones, new Draw(6, 5, 1, 2, false, S, S)).toFloatArray();
      assertThat(out).hasSize(3 * S * S);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < S; y++) {
          for (int x = 0; x < S; x++) {
            boolean inside = y >= 1 && y < 7 && x >= 2 && x < 7;
            assertThat(out[(c * S + y) * S + x]).as("value at c%d y%d x%d", c, y, x)
                .isCloseTo(inside ? 1f : 0f, within(1e-6f));
          }
        }
      }
    }
  }

  @Test
  void fullSizeDrawWithoutOffsetIsTheIdentityAndFlipMirrorsIt() {
    float[] ramp = new float[3 * S * S];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = (i % S) / (float) S + (i / (S * S)) * 0.01f;
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray image = manager.create(ramp, new Shape(1, 3, S, S));
      float[] same = Randomization.apply(image, new Draw(S, S, 0, 0, false, S, S)).toFloatArray();
      float[] flipped = Randomization.apply(image, new Draw(S, S, 0, 0, true, S, S)).toFloatArray();
      for (int i = 0; i < ramp.length; i++) {
        int row = i / S;
        int x = i % S;
        assertThat(same[i]).isCloseTo(ramp[i], within(1e-6f));
        assertThat(flipped[i]).isCloseTo(ramp[row * S + (S - 1 - x)], within(1e-6f));
      }
    }
  }

  @Test
  void batchesAreImageMajorOneRowPerDraw() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray two = manager.ones(new Shape(2, 3, S, S));
      List<Draw> draws = List.of(new Draw(7, 7, 0, 0, false, S, S), new Draw(6, 6, 2, 2, true, S, S),
          new Draw(7, 7, 1, 1, false, S, S));
      assertThat(Randomization.apply(two, draws).getShape()).isEqualTo(new Shape(6, 3, S, S));
    }
  }

  @Test
  void gradientReachesEveryInputValue() {
    Random random = new Random(5);
    float[] pixels = new float[3 * S * S];
    float[] weights = new float[3 * S * S];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
      weights[i] = 1 + random.nextFloat();
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray x = manager.create(pixels, new Shape(1, 3, S, S));
      x.setRequiresGradient(true);
      NDArray y = Randomization.apply(x, new Draw(6, 6, 1, 0, true, S, S));
      collector.backward(y.mul(manager.create(weights, new Shape(1, 3, S, S))).sum());
      float[] gradient = x.getGradient().toFloatArray();
      for (int i = 0; i < gradient.length; i++) {
        assertThat(gradient[i]).as("gradient of input value %d", i).isGreaterThan(0f);
      }
    }
  }

  @Test
  void averagedLogitsAreTheLogOfTheMeanSoftmax() {
    float[] a = {2f, 0f};
    float[] b = {0f, 2f};
    float[] avg = DefendedInference.averaged(List.of(a, b));
    assertThat(Math.exp(avg[0])).isCloseTo(0.5, within(1e-6));
    assertThat(Math.exp(avg[1])).isCloseTo(0.5, within(1e-6));
  }
}
