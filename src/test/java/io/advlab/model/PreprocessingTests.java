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

  @Test
  void theCroppedWindowIsComputedAloneToTheSameFloatsAsBeforeTheChange() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    int[][] sizes = {{493, 356}, {356, 493}, {300, 300}, {257, 1000}, {224, 224}, {640, 480}, {256, 341}};
    ImagePreprocessor resnet = new ImagePreprocessor(Preprocessing.imagenetDefaults());
    for (int[] size : sizes) {
      int w = size[0];
      int h = size[1];
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          image.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      float[] chw = ImagePreprocessor.planar(image);
      double scale = 256.0 / Math.min(w, h);
      int nw = w <= h ? 256 : (int) Math.round(w * scale);
      int nh = h <= w ? 256 : (int) Math.round(h * scale);
      float[] resized = referenceResize(chw, 3, w, h, nw, nh);
      float[] expected = Resampler.crop(resized, 3, nw, nh, (int) Math.round((nw - 224) / 2.0),
          (int) Math.round((nh - 224) / 2.0), 224, 224);
      assertThat(Resampler.resize(chw, 3, w, h, nw, nh)).as("resize of %dx%d", w, h).isEqualTo(resized);
      assertThat(resnet.toInput(image)).as("input of %dx%d", w, h).isEqualTo(expected);
      // the same pixels in another layout go through getRGB to the same floats
      BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      bgr.getGraphics().drawImage(image, 0, 0, null);
      assertThat(resnet.toInput(bgr)).as("input of a BGR %dx%d", w, h).isEqualTo(expected);
    }
  }

  @Test
  void planarReadsPackedRgbAsGetRgbDoes() {
    BufferedImage packed = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
    BufferedImage bytes = new BufferedImage(37, 23, BufferedImage.TYPE_3BYTE_BGR);
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) {
        int rgb = random.nextInt(1 << 24);
        packed.setRGB(x, y, rgb);
        bytes.setRGB(x, y, rgb);
      }
    }
    float[] fast = ImagePreprocessor.planar(packed);
    assertThat(fast).isEqualTo(ImagePreprocessor.planar(bytes));
    assertThat(fast[5 * 37 + 3]).isEqualTo(((packed.getRGB(3, 5) >> 16) & 0xFF) / 255f);
    // a sub-image shares its parent's array: read through getRGB, not the array
    BufferedImage part = packed.getSubimage(4, 3, 20, 10);
    float[] expected = new float[3 * 20 * 10];
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 20; x++) {
        expected[y * 20 + x] = ((part.getRGB(x, y) >> 16) & 0xFF) / 255f;
        expected[200 + y * 20 + x] = ((part.getRGB(x, y) >> 8) & 0xFF) / 255f;
        expected[400 + y * 20 + x] = (part.getRGB(x, y) & 0xFF) / 255f;
      }
    }
    assertThat(ImagePreprocessor.planar(part)).isEqualTo(expected);
  }

  /**
   * The resampler as it was before the window change (column-strided second pass, every output
   * pixel), kept here as the reference its floats must match.
   */
  private static float[] referenceResize(float[] chw, int planes, int sw, int sh, int dw, int dh) {
    int[][] hSpan = new int[dw][];
    float[][] hWeights = new float[dw][];
    weights(sw, dw, hSpan, hWeights);
    int[][] vSpan = new int[dh][];
    float[][] vWeights = new float[dh][];
    weights(sh, dh, vSpan, vWeights);
    float[] out = new float[planes * dw * dh];
    float[] rows = new float[dw * sh];
    for (int c = 0; c < planes; c++) {
      for (int y = 0; y < sh; y++) {
        for (int x = 0; x < dw; x++) {
          float acc = 0;
          int s = c * sw * sh + y * sw + hSpan[x][0];
          for (float v : hWeights[x]) {
            acc += v * chw[s++];
          }
          rows[y * dw + x] = acc;
        }
      }
      for (int y = 0; y < dh; y++) {
        for (int x = 0; x < dw; x++) {
          float acc = 0;
          int s = vSpan[y][0] * dw + x;
          for (float v : vWeights[y]) {
            acc += v * rows[s];
            s += dw;
          }
          out[c * dw * dh + y * dw + x] = acc;
        }
      }
    }
    return out;
  }

  private static void weights(int in, int out, int[][] span, float[][] weights) {
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    for (int i = 0; i < out; i++) {
      double center = (i + 0.5) * scale;
      int lo = Math.max(0, (int) Math.floor(center - filterScale));
      int hi = Math.min(in, (int) Math.ceil(center + filterScale));
      float[] w = new float[Math.max(hi - lo, 1)];
      double sum = 0;
      for (int j = lo; j < hi; j++) {
        double v = Math.max(0, 1 - Math.abs((j + 0.5 - center) / filterScale));
        w[j - lo] = (float) v;
        sum += v;
      }
      if (sum == 0) {
        w[0] = 1;
        sum = 1;
      }
      for (int k = 0; k < w.length; k++) {
        w[k] /= (float) sum;
      }
      span[i] = new int[] {Math.min(lo, in - 1)};
      weights[i] = w;
    }
  }
}
