package io.advlab.attack;

import io.advlab.support.TestRequirements;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** The held-out digits ({@code ../shared/images/digits/test/<label>/*.png}) for attack tests. */
final class AttackTestImages {

  /** One held-out digit and its true label. */
  record Digit(Path path, int label) {
    byte[] bytes() {
      try {
        return Files.readAllBytes(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private AttackTestImages() {}

  /** All held-out digits in a fixed order (label, then file name); skips when absent. */
  static List<Digit> all() throws IOException {
    Path dir = TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    List<Digit> out = new ArrayList<>();
    for (int label = 0; label < 10; label++) {
      try (Stream<Path> files = Files.list(dir.resolve(Integer.toString(label)))) {
        int l = label;
        files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(p -> out.add(new Digit(p, l)));
      }
    }
    return out;
  }

  /** {@code n} digits picked with a seeded shuffle. */
  static List<Path> digits(int n, long seed) throws IOException {
    List<Digit> all = new ArrayList<>(all());
    Collections.shuffle(all, new Random(seed));
    return all.subList(0, n).stream().map(Digit::path).toList();
  }

  /** A 32x32 digit PNG as planar floats in [0,1] (the digits model's preprocessing is the identity). */
  static float[] pixels(Path png) throws IOException {
    return decode(Files.readAllBytes(png));
  }

  /** Decodes an 8-bit RGB PNG (one {@link AttackImages#png} wrote, or any other) with ImageIO into planar floats in [0,1]. */
  static float[] decode(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      int w = image.getWidth();
      int h = image.getHeight();
      int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
      int plane = w * h;
      float[] out = new float[3 * plane];
      for (int i = 0; i < plane; i++) {
        out[i] = Pixels.level((argb[i] >> 16) & 0xFF);
        out[plane + i] = Pixels.level((argb[i] >> 8) & 0xFF);
        out[2 * plane + i] = Pixels.level(argb[i] & 0xFF);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
