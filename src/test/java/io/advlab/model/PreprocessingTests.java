package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** serving.properties parsing, synset parsing and the resize/crop arithmetic. */
class PreprocessingTests {

  @Test
  void defaultsAreResnetImagenet() {
    Preprocessing p = Preprocessing.fromProperties(new Properties());
    assertThat(p).isEqualTo(Preprocessing.imagenetDefaults());
    assertThat(p.inputSize()).isEqualTo(3 * 224 * 224);
  }

  @Test
  void explicitMeanStdAndStraightResize() {
    Properties props = new Properties();
    props.setProperty("width", "32");
    props.setProperty("height", "32");
    props.setProperty("resize", "true");
    props.setProperty("centerCrop", "false");
    props.setProperty("mean", "0.5, 0.5,0.5");
    props.setProperty("std", "0.25,0.25,0.25");
    Preprocessing p = Preprocessing.fromProperties(props);
    assertThat(p.resize()).isZero();
    assertThat(p.std()).containsExactly(0.25f, 0.25f, 0.25f);
  }

  @Test
  void synsetKeepsWordnetIdsApart() {
    Labels labels = Labels.parse(List.of("n01440764 tench, Tinca tinca", "n01443537 goldfish, Carassius auratus", ""));
    assertThat(labels.size()).isEqualTo(2);
    assertThat(labels.get(0).wnid()).isEqualTo("n01440764");
    assertThat(labels.get(0).name()).isEqualTo("tench, Tinca tinca");
    assertThat(Labels.parse(List.of("great white shark")).get(0).wnid()).isNull();
  }

  @Test
  void shorterSideResizedThenCenterCropped() {
    BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 400; x++) {
      for (int y = 0; y < 300; y++) {
        image.setRGB(x, y, x < 200 ? 0xFF0000 : 0x0000FF);
      }
    }
    float[] input = new ImagePreprocessor(Preprocessing.imagenetDefaults()).toInput(image);
    assertThat(input).hasSize(3 * 224 * 224);
    // Left half red, right half blue, the boundary in the middle of the crop.
    assertThat(input[112 * 224 + 10]).isEqualTo(1f, offset(1e-5f));
    assertThat(input[2 * 224 * 224 + 112 * 224 + 213]).isEqualTo(1f, offset(1e-5f));
  }

  @Test
  void downscalingKeepsConstantsAndLinearRamps() {
    // Horizontal ramp: pixel j (centre at j + 0.5) has value j + 0.5; halving the width must
    // reproduce the ramp at the output centres (1, 3, 5, 7) away from the edges, like Pillow.
    float[] ramp = new float[8 * 2];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i % 8 + 0.5f;
    }
    float[] out = Resampler.resize(ramp, 1, 8, 2, 4, 2);
    assertThat(out[1]).isEqualTo(3f, offset(1e-5f));
    assertThat(out[2]).isEqualTo(5f, offset(1e-5f));
    float[] constant = new float[3 * 50 * 40];
    java.util.Arrays.fill(constant, 0.25f);
    for (float v : Resampler.resize(constant, 3, 50, 40, 17, 13)) {
      assertThat(v).isEqualTo(0.25f, offset(1e-6f));
    }
  }

}
