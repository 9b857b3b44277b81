package io.advlab.model;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/**
 * Turns a decoded RGB image into the model's input in pixel space: CHW floats in [0,1], resized
 * and cropped as the model's {@link Preprocessing} says. Normalization is not applied here; it is
 * part of the network wrapper, so attacks work on real pixels.
 */
public final class ImagePreprocessor {

  private final Preprocessing spec;

  ImagePreprocessor(Preprocessing spec) {
    this.spec = spec;
  }

  public float[] toInput(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int nw = w;
    int nh = h;
    if (spec.resize() > 0) {
      double scale = (double) spec.resize() / Math.min(w, h);
      nw = w <= h ? spec.resize() : (int) Math.round(w * scale);
      nh = h <= w ? spec.resize() : (int) Math.round(h * scale);
    }
    if (!spec.centerCrop()) {
      float[] chw = planar(image);
      float[] resized = nw == w && nh == h ? chw : Resampler.resize(chw, 3, w, h, nw, nh);
      return Resampler.resize(resized, 3, nw, nh, spec.width(), spec.height());
    }
    int left = (int) Math.round((nw - spec.width()) / 2.0);
    int top = (int) Math.round((nh - spec.height()) / 2.0);
    if (left >= 0 && top >= 0 && left + spec.width() <= nw && top + spec.height() <= nh) {
      return Resampler.resizeWindowRgb(rgb(image), w, h, nw, nh, left, top, spec.width(), spec.height());
    }
    // a crop larger than the resized image: the margin reads as 0
    return Resampler.crop(Resampler.resize(planar(image), 3, w, h, nw, nh), 3, nw, nh, left, top, spec.width(),
        spec.height());
  }

  /**
   * 8-bit RGB to planar floats in [0,1]. A plain {@code TYPE_INT_RGB} image (what the image intake
   * makes of every upload) is read from its pixel array, not through {@code getRGB}'s per-pixel
   * colour model calls, which took a quarter of a classification's Java time.
   */
  static float[] planar(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = rgb(image);
    float[] out = new float[3 * w * h];
    int plane = w * h;
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = Resampler.unit(p, 16);
      out[plane + i] = Resampler.unit(p, 8);
      out[2 * plane + i] = Resampler.unit(p, 0);
    }
    return out;
  }

  /**
   * The pixels as packed {@code 0xRRGGBB} ints, row-major: a plain {@code TYPE_INT_RGB} image's own
   * array (not copied; read it only), any other image through {@code getRGB}.
   */
  private static int[] rgb(BufferedImage image) {
    int[] packed = packedRgb(image);
    return packed != null ? packed : image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  /** The pixel array of a whole, unshared {@code TYPE_INT_RGB} raster (0xRRGGBB per pixel), or null. */
  private static int[] packedRgb(BufferedImage image) {
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      return null;
    }
    WritableRaster raster = image.getRaster();
    if (raster.getDataBuffer() instanceof DataBufferInt buffer && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
        && model.getScanlineStride() == image.getWidth() && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0 && raster.getParent() == null
        && buffer.getSize() == image.getWidth() * image.getHeight()) {
      return buffer.getData();
    }
    return null;
  }
}
