package io.advlab.attack;

/**
 * Vector arithmetic on images in pixel space (CHW floats in [0,1]) and the 8-bit grid every
 * returned image lives on: a value {@code v} is stored in the PNG as {@code round(v * 255)} and read
 * back as {@code k / 255f}, so {@link #level(int)} gives exactly what decoding the PNG gives.
 */
final class Pixels {

  /** Slack for float rounding when testing whether a grid value lies inside an eps-ball. */
  private static final double GRID_SLACK = 1e-4;

  private Pixels() {}

  static float level(int k) {
    return k / 255f;
  }

  static float clip01(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }

  /** Nearest 8-bit gray level of each value, clipped to [0,1]. */
  static float[] quantize(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = level(Math.round(clip01(v[i]) * 255f));
    }
    return out;
  }

  /**
   * The 8-bit image nearest to {@code adv} that stays within the L∞ ball of radius {@code eps}
   * around {@code x} (and in [0,1]): each value is rounded to its nearest gray level, then moved to
   * the nearest level inside the ball when rounding left it. When no level lies inside a value's
   * ball (only possible for eps below half a gray level with an {@code x} off the grid), the level
   * nearest to {@code x} is used. {@code eps < 0} means no bound (plain {@link #quantize}).
   */
  static float[] toGrid(float[] adv, float[] x, double eps) {
    return eps < 0 ? quantize(adv) : new Ball(x, eps).snap(adv);
  }

  /**
   * The gray levels each value may take inside the L∞ ball of radius eps around {@code x}, worked
   * out once, so that an iterative attack snaps every iterate with integer clamps only.
   */
  static final class Ball {

    private final int[] lo;
    private final int[] hi;

    Ball(float[] x, double eps) {
      lo = new int[x.length];
      hi = new int[x.length];
      for (int i = 0; i < x.length; i++) {
        int low = (int) Math.ceil(Math.max(0.0, x[i] - eps) * 255.0 - GRID_SLACK);
        int high = (int) Math.floor(Math.min(1.0, x[i] + eps) * 255.0 + GRID_SLACK);
        if (low > high) {
          low = Math.round(clip01(x[i]) * 255f);
          high = low;
        }
        lo[i] = low;
        hi[i] = high;
      }
    }

    /** See {@link Pixels#toGrid}. */
    float[] snap(float[] adv) {
      float[] out = new float[adv.length];
      for (int i = 0; i < adv.length; i++) {
        int q = Math.round(clip01(adv[i]) * 255f);
        out[i] = level(q < lo[i] ? lo[i] : (q > hi[i] ? hi[i] : q));
      }
      return out;
    }
  }

  static float[] sub(float[] a, float[] b) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  static double l2(float[] d) {
    double sum = 0;
    for (float v : d) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  static double l1(float[] d) {
    double sum = 0;
    for (float v : d) {
      sum += Math.abs(v);
    }
    return sum;
  }

  static double linf(float[] d) {
    float max = 0;
    for (float v : d) {
      float a = Math.abs(v);
      if (a > max) {
        max = a;
      }
    }
    return max;
  }

  /** Number of values that differ by more than 1e-6. */
  static long l0(float[] d) {
    long count = 0;
    for (float v : d) {
      if (Math.abs(v) > 1e-6f) {
        count++;
      }
    }
    return count;
  }

  /** Projects {@code x + delta} back into [0,1] and the eps-ball of the given norm, in place on delta. */
  static void project(float[] delta, float[] x, double eps, Norm norm) {
    if (norm == Norm.LINF) {
      // Clamping in float against (float) eps gives what clamping in double would: no float lies
      // strictly between eps and its nearest float.
      float e = (float) eps;
      for (int i = 0; i < delta.length; i++) {
        float d = delta[i] > e ? e : (delta[i] < -e ? -e : delta[i]);
        delta[i] = clip01(x[i] + d) - x[i];
      }
    } else {
      for (int i = 0; i < delta.length; i++) {
        delta[i] = clip01(x[i] + delta[i]) - x[i];
      }
      double norm2 = l2(delta);
      if (norm2 > eps) {
        float scale = (float) (eps / norm2);
        for (int i = 0; i < delta.length; i++) {
          delta[i] *= scale;
        }
      }
    }
  }

  static float[] add(float[] x, float[] delta) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = clip01(x[i] + delta[i]);
    }
    return out;
  }
}
