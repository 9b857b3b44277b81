package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The hand-written PNG encoder produces files that ImageIO decodes to exactly the quantized floats. */
class AttackImagesTests {

  @Test
  void pngDecodesToTheQuantizedClippedPixels() throws Exception {
    int width = 7;
    int height = 5;
    float[] chw = new float[3 * width * height];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) (1.4 * random.nextDouble() - 0.2); // some values outside [0,1]
    }
    chw[0] = 0;
    chw[1] = 1;

    byte[] png = AttackImages.png(chw, width, height);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));

    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(image.getColorModel().hasAlpha()).isFalse();
    assertThat(image.getColorModel().getComponentSize()).containsExactly(8, 8, 8);
    float[] clipped = chw.clone();
    for (int i = 0; i < clipped.length; i++) {
      clipped[i] = Pixels.clip01(clipped[i]);
    }
    assertThat(AttackTestImages.decode(png)).containsExactly(Pixels.quantize(clipped));
  }

  @Test
  void smoothImagesCompress() {
    int width = 224;
    int height = 224;
    int plane = width * height;
    float[] chw = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      chw[i] = (i % width) / (float) width;
      chw[plane + i] = (i / width) / (float) height;
      chw[2 * plane + i] = 0.5f;
    }
    assertThat(AttackImages.png(chw, width, height).length).isLessThan(3 * plane / 4);
  }

  @Test
  void flatImagesKeepDeflatesSearchForRepeatsAndNoisyOnesDecodeExactly() throws Exception {
    int width = 224;
    int height = 224;
    int plane = width * height;
    float[] flat = new float[3 * plane];
    for (int i = 0; i < flat.length; i++) {
      int x = i % width;
      int y = i / width % height;
      flat[i] = x > 80 && x < 140 && y > 60 && y < 160 ? 1f : 0f;
    }
    // Huffman codes alone cannot go below a bit per byte (19 KB here); the search finds the runs
    assertThat(AttackImages.png(flat, width, height).length).isLessThan(4_000);
    float[] noisy = new float[3 * plane];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] = Pixels.level(random.nextInt(256));
    }
    byte[] png = AttackImages.png(noisy, width, height);
    assertThat(AttackTestImages.decode(png)).containsExactly(noisy);
    // uniform noise does not compress: Huffman codes only add their tables to the 3 * plane + height bytes
    assertThat(png.length).isLessThan(3 * plane + height + 1_000);
  }
}
