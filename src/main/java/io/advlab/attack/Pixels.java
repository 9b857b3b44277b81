package io.advlab.attack;

import java.util.PriorityQueue;

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

  /**
   * {@code v} clipped to [0,1] with {@code Math.min}/{@code max}, which C2 compiles without
   * branches: as a chain of comparisons, a PGD step's projection over the 150,528 values of a
   * 224x224 image took 1.0 ms and its snapping to the grid 1.3 ms (the branches mispredict on
   * perturbations that sit at either side of the ball), against 0.05 and 0.4 ms now, with the same
   * results (only the sign of a zero may differ, which no gray level or norm sees).
   */
  static float clip01(float v) {
    return Math.min(Math.max(v, 0f), 1f);
  }

  /**
   * {@code Math.round(clip01(v) * 255f)}, the gray level a PNG stores for {@code v}, without
   * {@code Math.round(float)}'s bit manipulation (Java 17 has no intrinsic for it, and it showed as
   * the hottest frame of an evaluation's attack loop): the product is at most 255, so adding 0.5
   * in double is exact and truncating the non-negative sum is the floor {@code Math.round} takes;
   * {@link #grayOfScaled} takes that floor in float.
   */
  static int gray(float v) {
    return grayOfScaled(clip01(v) * 255f);
  }

  /** The one scaled value whose float sum with 0.5f rounds up to 1 ({@link #grayOfScaled}). */
  private static final int ROUNDS_UP = Float.floatToRawIntBits(0.49999997f);

  /**
   * {@link #gray} of a value already clipped and scaled ({@code p = clip01(v) * 255f}), in float and
   * integer operations only and without a branch. Why: the array loops below clip and scale in one
   * loop of floats and call this in a second, and a PGD step's snap to the grid took half the time
   * it took with {@code gray} in one loop, which mixes float, double and int conversions (about 7
   * against 3.5 ns a value on the 2-core machine). Adding 0.5 in float instead of double changes
   * the floor for exactly one p, 0.49999997f, whose float sum rounds up to 1 (checked over every
   * float in [0,1]: {@code PixelsTests}); its bits are subtracted out.
   */
  static int grayOfScaled(float p) {
    int other = Float.floatToRawIntBits(p) ^ ROUNDS_UP;
    return (int) (p + 0.5f) - (((other | -other) >>> 31) ^ 1);
  }

  /** Nearest 8-bit gray level of each value, clipped to [0,1]. */
  static float[] quantize(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = clip01(v[i]) * 255f;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = level(grayOfScaled(out[i]));
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
   * out once, so that an iterative attack snaps every iterate with clamps only. The bounds are kept
   * as floats (whole numbers of gray levels) because {@link #snapSum}, which runs on every PGD step,
   * works in float operations only.
   */
  static final class Ball {

    /**
     * 2^23: a non-negative float below 2^22 plus this, minus this, is that float rounded to the
     * nearest integer (ties to even).
     */
    private static final float ROUNDING = 0x1p23f;
    /** 2^100: times itself, it turns any positive float difference, even a subnormal one, into at least 1. */
    private static final float HUGE = 0x1p100f;

    private final float[] lo;
    private final float[] hi;

    Ball(float[] x, double eps) {
      lo = new float[x.length];
      hi = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        int low = (int) Math.ceil(Math.max(0.0, x[i] - eps) * 255.0 - GRID_SLACK);
        int high = (int) Math.floor(Math.min(1.0, x[i] + eps) * 255.0 + GRID_SLACK);
        if (low > high) {
          low = gray(x[i]);
          high = low;
        }
        lo[i] = low;
        hi[i] = high;
      }
    }

    /** See {@link Pixels#toGrid}; a NaN value takes its lowest level, as {@link #gray} rounds NaN to 0. */
    float[] snap(float[] adv) {
      float[] out = new float[adv.length];
      for (int i = 0; i < adv.length; i++) {
        out[i] = clip01(adv[i]) * 255f;
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = level(Math.min(Math.max(grayOfScaled(out[i]), (int) lo[i]), (int) hi[i]));
      }
      return out;
    }

    /**
     * {@code snap(add(x, delta))} without the intermediate image, for finite {@code x} and
     * {@code delta} (an L∞ iterate's: NaN would come out as NaN, where {@link #snap} gives the
     * lowest level). Why float operations only: C2 vectorizes this loop, and not one that converts
     * to int and back or branches; on the 2-core machine it took 1.5 ns a value against 4.4 to 6.7
     * for the integer rounding of {@link #grayOfScaled} (a pass of 16 digits snaps 49,152 values).
     * The same levels ({@code PixelsTests}): the clamp to the ball comes before the rounding, which
     * is monotone and keeps the whole-number bounds; {@code floor(p + 0.5f)} is the magic-number
     * rounding of the sum minus one where that rounded up; and the one p whose float sum with 0.5
     * rounds up to 1, 0.49999997f, is below a half, as every p whose level is 0.
     */
    float[] snapSum(float[] x, float[] delta) {
      float[] out = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        float p = Math.min(Math.max(clip01(x[i] + delta[i]) * 255f, lo[i]), hi[i]);
        out[i] = roundedLevel(p) / 255f;
      }
      return out;
    }

    /** {@code grayOfScaled(p)} as a float, for p in [0, 255], in float operations only ({@link #snapSum}). */
    static float roundedLevel(float p) {
      float sum = p + 0.5f;
      float nearest = (sum + ROUNDING) - ROUNDING;
      float floor = nearest - Math.min(Math.max((nearest - sum) * HUGE * HUGE, 0f), 1f);
      return floor * Math.min(Math.max((p - 0.49999997f) * HUGE * HUGE, 0f), 1f);
    }

    /** The lowest gray level (an integer, as a float) each value may take: {@link LinfIterate}'s bound on the device. */
    float[] lowest() {
      return lo.clone();
    }

    /** The highest gray level each value may take, as {@link #lowest()}. */
    float[] highest() {
      return hi.clone();
    }
  }

  /**
   * The 8-bit image near {@code adv} that stays within the L2 ball of radius {@code eps} around
   * {@code x} (and in [0,1]). Each value is rounded to its nearest gray level; while that leaves
   * the ball, values are moved one level towards {@code x}, greedily, the move that shortens δ the
   * most per unit of added distance from {@code adv} first. When {@code adv} lies in the ball and
   * {@code x} on the grid, moving each value to its other neighbouring level towards {@code x}
   * gives |level − x| ≤ |adv − x|, so the ball is reached before the moves run out; for {@code x}
   * off the grid with too small an eps the result is the grid image nearest to {@code x}.
   * {@code eps < 0} means no bound (plain {@link #quantize}).
   */
  static float[] toL2Grid(float[] adv, float[] x, double eps) {
    float[] out = quantize(adv);
    if (eps < 0) {
      return out;
    }
    double excess = squaredLength(out, x) - eps * eps;
    if (excess <= 0) {
      return out;
    }
    float[] a = new float[adv.length];
    int[] q = new int[adv.length];
    for (int i = 0; i < adv.length; i++) {
      a[i] = clip01(adv[i]);
      q[i] = gray(out[i]);
    }
    PriorityQueue<L2Move> moves = new PriorityQueue<>();
    for (int i = 0; i < q.length; i++) {
      L2Move move = L2Move.of(i, q[i], a[i], x[i]);
      if (move != null) {
        moves.add(move);
      }
    }
    while (excess > 0 && !moves.isEmpty()) {
      L2Move move = moves.poll();
      int i = move.index();
      q[i] = move.to();
      excess -= move.shortening();
      L2Move next = L2Move.of(i, q[i], a[i], x[i]);
      if (next != null) {
        moves.add(next);
      }
    }
    for (int i = 0; i < q.length; i++) {
      out[i] = level(q[i]);
    }
    return out;
  }

  /**
   * Moving value {@code index} from level {@code from} one level towards x: how much it shortens
   * ‖δ‖₂² and how much it adds to the squared distance from the unrounded value.
   */
  private record L2Move(int index, int to, double shortening, double cost) implements Comparable<L2Move> {

    /** The move of one value towards x, or null when no level is nearer to x. */
    static L2Move of(int index, int from, float a, float x) {
      float now = level(from) - x;
      int to = now > 0 ? from - 1 : from + 1;
      if (now == 0 || to < 0 || to > 255) {
        return null;
      }
      float then = level(to) - x;
      double shortening = (double) now * now - (double) then * then;
      if (shortening <= 0) {
        return null;
      }
      double before = level(from) - a;
      double after = level(to) - a;
      // Never below 0: a value a float ulp off a tie may round to the farther level.
      return new L2Move(index, to, shortening, Math.max(0, after * after - before * before));
    }

    /** Most shortening per unit of cost first; then by index, so the order is deterministic. */
    @Override
    public int compareTo(L2Move other) {
      int byRatio = Double.compare(other.shortening * cost, shortening * other.cost);
      return byRatio != 0 ? byRatio : Integer.compare(index, other.index);
    }
  }

  private static double squaredLength(float[] p, float[] x) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      float d = p[i] - x[i];
      sum += (double) d * d;
    }
    return sum;
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

  /**
   * The largest float not above {@code d}: for every float g, {@code g > d} exactly when
   * {@code g > floatBelow(d)}, and {@code g < -d} exactly when {@code g < -floatBelow(d)}.
   */
  static float floatBelow(double d) {
    float f = (float) d;
    return f > d ? Math.nextDown(f) : f;
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
        float d = Math.min(Math.max(delta[i], -e), e);
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
