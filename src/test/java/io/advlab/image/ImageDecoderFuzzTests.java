package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.TestImages;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged files of every format (random bytes overwritten, fixed seeds) either decode to RGB or
 * fail with a 4xx {@link ApiException}: never another exception, which would be a 500.
 */
class ImageDecoderFuzzTests {

  private static final int CASES = 300;

  private final ImageDecoder decoder = new ImageDecoder(4_000_000L);

  @ParameterizedTest
  @ValueSource(strings = {"jpg", "png", "gif", "bmp", "tiff"})
  void damagedFilesNeverEscapeAsUnexpectedErrors(String format) {
    byte[] original = TestImages.encode(TestImages.noise(48, 32, 11), format);
    Random random = new Random(format.hashCode());
    Map<ProblemType, Integer> outcomes = new EnumMap<>(ProblemType.class);
    int decoded = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] damaged = original.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      try {
        BufferedImage image = decoder.decode(damaged);
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        decoded++;
      } catch (ApiException e) {
        assertThat(e.type().status().is4xxClientError()).as(e.getMessage()).isTrue();
        outcomes.merge(e.type(), 1, Integer::sum);
      }
    }
    System.out.println(format + ": decoded " + decoded + ", refused " + outcomes);
  }
}
