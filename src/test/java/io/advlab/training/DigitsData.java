package io.advlab.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** The shared digits folders (32x32 RGB PNGs, one folder per class) as training data, for tests. */
final class DigitsData {

  private DigitsData() {}

  static TrainingData load(Path dir, int perClass) throws IOException {
    List<float[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      try (Stream<Path> files = Files.list(dir.resolve(Integer.toString(c)))) {
        for (Path f : files.sorted().limit(perClass).toList()) {
          BufferedImage image = ImageIO.read(f.toFile());
          int w = image.getWidth();
          int h = image.getHeight();
          int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
          float[] out = new float[3 * w * h];
          for (int i = 0; i < w * h; i++) {
            out[i] = ((argb[i] >> 16) & 0xFF) / 255f;
            out[w * h + i] = ((argb[i] >> 8) & 0xFF) / 255f;
            out[2 * w * h + i] = (argb[i] & 0xFF) / 255f;
          }
          pixels.add(out);
          labels.add(c);
        }
      }
    }
    return new TrainingData(pixels, labels.stream().mapToInt(Integer::intValue).toArray());
  }
}
