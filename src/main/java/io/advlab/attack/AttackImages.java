package io.advlab.attack;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Attack results as 8-bit RGB PNGs and back: planar floats in [0,1] are rounded to the nearest gray
 * level ({@link Pixels#quantize}), so decoding the PNG gives exactly the quantized floats.
 */
final class AttackImages {

  private AttackImages() {}

  static BufferedImage toImage(float[] chw, int width, int height) {
    int plane = width * height;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      int r = Math.round(Pixels.clip01(chw[i]) * 255f);
      int g = Math.round(Pixels.clip01(chw[plane + i]) * 255f);
      int b = Math.round(Pixels.clip01(chw[2 * plane + i]) * 255f);
      rgb[i] = (r << 16) | (g << 8) | b;
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width, height, rgb, 0, width);
    return image;
  }

  /**
   * PNG bytes of the image, written with the fastest deflate level (1): attack images are small
   * and noisy, so stronger compression costs milliseconds for a few percent of size.
   */
  static byte[] png(float[] chw, int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.write(null, new IIOImage(toImage(chw, width, height), null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** Decodes a PNG written by {@link #png} into planar floats in [0,1]. */
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

  /**
   * The perturbation made visible: mid-gray is no change, and the largest absolute change maps to
   * black or white ({@code 0.5 + 0.5 * delta / linf}).
   */
  static float[] visualize(float[] delta) {
    double max = Pixels.linf(delta);
    float[] out = new float[delta.length];
    for (int i = 0; i < delta.length; i++) {
      out[i] = max == 0 ? 0.5f : (float) (0.5 + 0.5 * delta[i] / max);
    }
    return out;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
