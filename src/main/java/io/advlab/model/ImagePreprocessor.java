package io.advlab.model;

import java.awt.image.BufferedImage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns a decoded RGB image into the model's input in pixel space: CHW floats in [0,1], resized
 * and cropped as the model's {@link Preprocessing} says. Normalization is not applied here; it is
 * part of the network wrapper, so attacks work on real pixels.
 */
@Component
public class ImagePreprocessor {

  private final Preprocessing spec;

  @Autowired
  ImagePreprocessor(ClassifierModel model) {
    this(model.preprocessing());
  }

  /** A preprocessor for any model's {@link Preprocessing}, e.g. the one a request names. */
  public ImagePreprocessor(Preprocessing spec) {
    this.spec = spec;
  }

  public float[] toInput(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] chw = planar(image);
    if (spec.resize() > 0) {
      double scale = (double) spec.resize() / Math.min(w, h);
      int nw = w <= h ? spec.resize() : (int) Math.round(w * scale);
      int nh = h <= w ? spec.resize() : (int) Math.round(h * scale);
      chw = Resampler.resize(chw, 3, w, h, nw, nh);
      w = nw;
      h = nh;
    }
    if (spec.centerCrop()) {
      int left = (int) Math.round((w - spec.width()) / 2.0);
      int top = (int) Math.round((h - spec.height()) / 2.0);
      chw = Resampler.crop(chw, 3, w, h, left, top, spec.width(), spec.height());
    } else {
      chw = Resampler.resize(chw, 3, w, h, spec.width(), spec.height());
    }
    return chw;
  }

  /** 8-bit RGB to planar floats in [0,1]. */
  static float[] planar(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[] out = new float[3 * w * h];
    int plane = w * h;
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = ((p >> 16) & 0xFF) / 255f;
      out[plane + i] = ((p >> 8) & 0xFF) / 255f;
      out[2 * plane + i] = (p & 0xFF) / 255f;
    }
    return out;
  }
}
