package io.advlab.image;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Turns any decoded image into {@link BufferedImage#TYPE_INT_RGB}: alpha composited on white,
 * grayscale replicated to R=G=B (sample values kept, as PIL does, rather than Java2D's
 * linear-gray conversion that brightens them), palette, 16-bit and CMYK through their colour
 * model; and applies an EXIF orientation.
 */
final class RgbImages {

  private RgbImages() {}

  static BufferedImage toRgb(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_INT_RGB) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    if (src.getType() == BufferedImage.TYPE_3BYTE_BGR || src.getType() == BufferedImage.TYPE_INT_BGR) {
      Graphics2D g = out.createGraphics(); // opaque sRGB: Java2D copies the bytes, no colour conversion
      g.drawImage(src, 0, 0, null);
      g.dispose();
      return out;
    }
    int[] dst = pixels(out);
    if (isIntegerGray(src.getColorModel())) {
      gray(src, dst);
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        src.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          dst[y * w + x] = onWhite(row[x]);
        }
      }
    }
    return out;
  }

  /**
   * Rotates or flips an RGB image as EXIF orientation {@code o} (1..8) asks, so that it shows
   * upright; 5..8 swap width and height.
   */
  static BufferedImage orient(BufferedImage rgb, int o) {
    if (o < 2 || o > 8) {
      return rgb;
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    boolean swap = o >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    int[] src = pixels(rgb);
    int[] dst = pixels(out);
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (o) {
          case 2: sx = w - 1 - x; sy = y; break; // mirror horizontally
          case 3: sx = w - 1 - x; sy = h - 1 - y; break; // rotate 180
          case 4: sx = x; sy = h - 1 - y; break; // mirror vertically
          case 5: sx = y; sy = x; break; // transpose
          case 6: sx = y; sy = h - 1 - x; break; // rotate 90 clockwise
          case 7: sx = w - 1 - y; sy = h - 1 - x; break; // transverse
          default: sx = w - 1 - y; sy = x; break; // 8: rotate 90 counter-clockwise
        }
        dst[y * ow + x] = src[sy * w + sx];
      }
    }
    return out;
  }

  private static boolean isIntegerGray(ColorModel cm) {
    return cm instanceof ComponentColorModel
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && cm.getNumColorComponents() == 1
        && cm.getTransferType() != DataBuffer.TYPE_FLOAT
        && cm.getTransferType() != DataBuffer.TYPE_DOUBLE;
  }

  private static void gray(BufferedImage src, int[] dst) {
    ColorModel cm = src.getColorModel();
    Raster raster = src.getRaster();
    int w = src.getWidth();
    int h = src.getHeight();
    int max = (1 << cm.getComponentSize(0)) - 1;
    int alphaMax = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
    int[] v = new int[w];
    int[] a = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, v);
      if (cm.hasAlpha()) {
        raster.getSamples(0, y, w, 1, 1, a);
      }
      for (int x = 0; x < w; x++) {
        int g = (int) Math.round(v[x] * 255.0 / max);
        if (cm.hasAlpha()) {
          int alpha = (int) Math.round(a[x] * 255.0 / alphaMax);
          g = cm.isAlphaPremultiplied() ? Math.min(255, g + 255 - alpha) : blend(g, alpha);
        }
        dst[y * w + x] = (g << 16) | (g << 8) | g;
      }
    }
  }

  /** Non-premultiplied ARGB over opaque white. */
  private static int onWhite(int argb) {
    int alpha = argb >>> 24;
    if (alpha == 255) {
      return argb & 0xffffff;
    }
    int r = blend((argb >> 16) & 0xff, alpha);
    int g = blend((argb >> 8) & 0xff, alpha);
    int b = blend(argb & 0xff, alpha);
    return (r << 16) | (g << 8) | b;
  }

  private static int blend(int c, int alpha) {
    return (c * alpha + 255 * (255 - alpha) + 127) / 255;
  }

  private static int[] pixels(BufferedImage rgb) {
    return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }
}
