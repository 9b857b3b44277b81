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
    return resizeWindow(chw, planes, sw, sh, dw, dh, 0, 0, dw, dh);
  }

  /**
   * The w x h window at (left, top) of {@link #resize}'s dw x dh result, computing only that
   * window: a shorter-side resize followed by a center crop (ResNet's 256 then 224) no longer
   * filters the half of the resized image the crop throws away. The window must lie inside the
   * resized image. Each value is the same float {@code resize} then {@link #crop} give: the same
   * products summed in the same order.
   */
  public static float[] resizeWindow(float[] chw, int planes, int sw, int sh, int dw, int dh, int left, int top,
      int w, int h) {
    checkWindow(dw, dh, left, top, w, h);
    if (sw == dw && sh == dh) {
      return crop(chw, planes, sw, sh, left, top, w, h);
    }
    Weights horizontal = Weights.of(sw, dw);
    Weights vertical = Weights.of(sh, dh);
    int firstRow = vertical.start[top];
    int rowCount = vertical.endSource(top, h) - firstRow;
    float[] out = new float[planes * w * h];
    float[] rows = new float[w * rowCount];
    for (int c = 0; c < planes; c++) {
      int base = c * sw * sh;
      for (int y = 0; y < rowCount; y++) {
        int at = y * w;
        for (int x = 0; x < w; x++) {
          rows[at + x] = horizontal.apply(chw, base + (firstRow + y) * sw, left + x);
        }
      }
      vertical.rows(rows, 0, firstRow, top, w, h, out, c * w * h);
    }
    return out;
  }

  /**
   * {@link #resizeWindow} of the three planes straight from packed {@code 0xRRGGBB} pixels (row-major,
   * sw x sh): the same floats as turning every pixel into [0,1] planes first and resizing those,
   * without converting the pixels the window never reads, and with the three channels sharing each
   * tap's weight and pixel read (that conversion and the separate planes were a third of a
   * classification's preprocessing).
   */
  public static float[] resizeWindowRgb(int[] rgb, int sw, int sh, int dw, int dh, int left, int top, int w, int h) {
    checkWindow(dw, dh, left, top, w, h);
    Weights horizontal = Weights.of(sw, dw);
    Weights vertical = Weights.of(sh, dh);
    int firstRow = vertical.start[top];
    int rowCount = vertical.endSource(top, h) - firstRow;
    int plane = w * rowCount;
    float[] rows = new float[3 * plane];
    for (int y = 0; y < rowCount; y++) {
      int source = (firstRow + y) * sw;
      int at = y * w;
      for (int x = 0; x < w; x++) {
        float[] weights = horizontal.weights[left + x];
        int s = source + horizontal.start[left + x];
        float r = 0;
        float g = 0;
        float b = 0;
        for (float weight : weights) {
          int p = rgb[s++];
          r += weight * unit(p, 16);
          g += weight * unit(p, 8);
          b += weight * unit(p, 0);
        }
        rows[at + x] = r;
        rows[plane + at + x] = g;
        rows[2 * plane + at + x] = b;
      }
    }
    float[] out = new float[3 * w * h];
    for (int c = 0; c < 3; c++) {
      vertical.rows(rows, c * plane, firstRow, top, w, h, out, c * w * h);
    }
    return out;
  }

  /** The 8-bit channel at {@code shift} of a packed {@code 0xRRGGBB} pixel, in [0,1]. */
  static float unit(int packed, int shift) {
    return ((packed >> shift) & 0xFF) / 255f;
  }

  private static void checkWindow(int dw, int dh, int left, int top, int w, int h) {
    if (left < 0 || top < 0 || left + w > dw || top + h > dh) {
      throw new IllegalArgumentException("window " + w + "x" + h + " at " + left + "," + top + " outside " + dw + "x"
          + dh);
    }
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

    /** One past the last source index outputs {@code from .. from + count - 1} read. */
    int endSource(int from, int count) {
      int end = start[from];
      for (int i = from; i < from + count; i++) {
        end = Math.max(end, start[i] + weights[i].length);
      }
      return end;
    }

    /**
     * Filters along this axis whole rows of {@code w} values: output row {@code y} of the window
     * starting at {@code top} is the weighted sum of the source rows it reads, taken from
     * {@code rows} (starting at {@code rowsAt}, holding source rows from {@code firstRow} on), row
     * by row so the inner loop runs along memory.
     */
    void rows(float[] rows, int rowsAt, int firstRow, int top, int w, int h, float[] out, int outAt) {
      for (int y = 0; y < h; y++) {
        int o = outAt + y * w;
        int r = rowsAt + (start[top + y] - firstRow) * w;
        for (float weight : weights[top + y]) {
          for (int x = 0; x < w; x++) {
            out[o + x] += weight * rows[r + x];
          }
          r += w;
        }
      }
    }

    /** Output {@code i} of the contiguous source run at {@code offset}. */
    float apply(float[] src, int offset, int i) {
      float[] w = weights[i];
      int s = offset + start[i];
      float acc = 0;
      for (float v : w) {
        acc += v * src[s++];
      }
      return acc;
    }
  }
}
