package io.advlab.model;

/**
 * Antialiased bilinear resampling of planar float images, the filter torchvision's
 * {@code Resize(antialias=True)} and Pillow use: a triangle filter whose support widens with the
 * downscale factor, applied separably (rows, then columns).
 */
public final class Resampler {

  private Resampler() {}

  /** Resizes each of the {@code planes} of a CHW array from sw x sh to dw x dh. */
  public static float[] resize(float[] chw, int planes, int sw, int sh, int dw, int dh) {
    if (sw == dw && sh == dh) {
      return chw.clone();
    }
    Weights horizontal = Weights.of(sw, dw);
    Weights vertical = Weights.of(sh, dh);
    float[] out = new float[planes * dw * dh];
    float[] rows = new float[dw * sh];
    for (int c = 0; c < planes; c++) {
      int base = c * sw * sh;
      for (int y = 0; y < sh; y++) {
        for (int x = 0; x < dw; x++) {
          rows[y * dw + x] = horizontal.apply(chw, base + y * sw, 1, x);
        }
      }
      int outBase = c * dw * dh;
      for (int y = 0; y < dh; y++) {
        for (int x = 0; x < dw; x++) {
          out[outBase + y * dw + x] = vertical.apply(rows, x, dw, y);
        }
      }
    }
    return out;
  }

  /** Crops a w x h window at (left, top) out of each plane; outside the source reads as 0. */
  public static float[] crop(float[] chw, int planes, int sw, int sh, int left, int top, int w, int h) {
    float[] out = new float[planes * w * h];
    for (int c = 0; c < planes; c++) {
      for (int y = 0; y < h; y++) {
        int sy = top + y;
        if (sy < 0 || sy >= sh) {
          continue;
        }
        for (int x = 0; x < w; x++) {
          int sx = left + x;
          if (sx >= 0 && sx < sw) {
            out[c * w * h + y * w + x] = chw[c * sw * sh + sy * sw + sx];
          }
        }
      }
    }
    return out;
  }

  /** Per-output-index source span and normalized filter weights along one axis. */
  private record Weights(int[] start, float[][] weights) {

    static Weights of(int in, int out) {
      double scale = (double) in / out;
      double filterScale = Math.max(scale, 1.0);
      int[] start = new int[out];
      float[][] weights = new float[out][];
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
        start[i] = Math.min(lo, in - 1);
        weights[i] = w;
      }
      return new Weights(start, weights);
    }

    float apply(float[] src, int offset, int stride, int i) {
      float[] w = weights[i];
      int s = offset + start[i] * stride;
      float acc = 0;
      for (float v : w) {
        acc += v * src[s];
        s += stride;
      }
      return acc;
    }
  }
}
