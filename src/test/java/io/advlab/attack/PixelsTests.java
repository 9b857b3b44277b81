package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 8-bit grid, the L∞ and L2 balls on it, the projections and the norms, on hand-picked vectors. */
class PixelsTests {

  @Test
  void grayIsMathRoundOfTheClippedValueForEveryKindOfFloat() {
    // every 97th float of [0, 1], and the floats nearest to each rounding boundary (k + 0.5) / 255
    for (int bits = 0; bits <= Float.floatToIntBits(1f); bits += 97) {
      assertGrayIsRound(Float.intBitsToFloat(bits));
    }
    for (int k = 0; k < 255; k++) {
      int middle = Float.floatToIntBits((k + 0.5f) / 255f);
      for (int ulp = -64; ulp <= 64; ulp++) {
        assertGrayIsRound(Float.intBitsToFloat(middle + ulp));
      }
    }
    assertGrayIsRound(0.49999997f / 255f);
    for (float v : new float[] {-0f, -1e-9f, -3f, 1.0000001f, 7f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE}) {
      assertGrayIsRound(v);
    }
  }

  private static void assertGrayIsRound(float v) {
    int expected = Math.round(Pixels.clip01(v) * 255f);
    if (Pixels.gray(v) != expected) {
      throw new AssertionError("gray(" + v + ") = " + Pixels.gray(v) + ", Math.round gives " + expected);
    }
  }

  @Test
  void grayOfScaledIsGrayForEveryFloatWhoseSumWithAHalfCanRoundAcrossAnInteger() {
    // p + 0.5f can only round across an integer for p in [0.25, 0.5) (the sum then lies in [0.75, 1),
    // one binade below 1; from 0.5 up the sum's binade starts at an integer and rounding stays in it,
    // below 0.25 the sum stays below 0.75): every float of [0.25, 1] as p, the one that rounds up among them
    for (int bits = Float.floatToIntBits(0.25f); bits <= Float.floatToIntBits(1f); bits++) {
      float p = Float.intBitsToFloat(bits);
      int expected = (int) (p + 0.5d);
      if (Pixels.grayOfScaled(p) != expected) {
        throw new AssertionError("grayOfScaled(" + p + ") = " + Pixels.grayOfScaled(p) + ", expected " + expected);
      }
    }
    assertThat((int) (0.49999997f + 0.5f)).as("the float sum that rounds up").isEqualTo(1);
    // and through clip and scale, every 97th float of [0, 1], each boundary's neighbours and the odd ones
    List<Float> values = new ArrayList<>();
    for (int bits = 0; bits <= Float.floatToIntBits(1f); bits += 97) {
      values.add(Float.intBitsToFloat(bits));
    }
    for (int k = 0; k < 255; k++) {
      int middle = Float.floatToIntBits((k + 0.5f) / 255f);
      for (int ulp = -64; ulp <= 64; ulp++) {
        values.add(Float.intBitsToFloat(middle + ulp));
      }
    }
    for (float v : new float[] {0.0019607842f, -0f, -1e-9f, -3f, 1.0000001f, 7f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE}) {
      values.add(v);
    }
    for (float v : values) {
      if (Pixels.grayOfScaled(Pixels.clip01(v) * 255f) != (int) (Pixels.clip01(v) * 255f + 0.5d)) {
        throw new AssertionError("grayOfScaled disagrees with the double sum's floor at " + v);
      }
    }
  }

  @Test
  void roundedLevelIsGrayOfScaledWhereverTheSumCanRoundAndAcrossTheRange() {
    // every float of [0.25, 1] (the sums with a half that can round across an integer lie there,
    // see above), every 31st below and every 13th above up to 255, and each tie k + 0.5 with its
    // neighbours
    for (int bits = 0; bits < Float.floatToIntBits(0.25f); bits += 31) {
      assertRoundedLevel(Float.intBitsToFloat(bits));
    }
    for (int bits = Float.floatToIntBits(0.25f); bits <= Float.floatToIntBits(1f); bits++) {
      assertRoundedLevel(Float.intBitsToFloat(bits));
    }
    for (int bits = Float.floatToIntBits(1f); bits <= Float.floatToIntBits(255f); bits += 13) {
      assertRoundedLevel(Float.intBitsToFloat(bits));
    }
    for (int k = 0; k < 255; k++) {
      int tie = Float.floatToIntBits(k + 0.5f);
      for (int ulp = -64; ulp <= 64; ulp++) {
        assertRoundedLevel(Float.intBitsToFloat(tie + ulp));
      }
    }
    assertRoundedLevel(0.49999997f);
    assertRoundedLevel(255f);
  }

  private static void assertRoundedLevel(float p) {
    float level = Pixels.Ball.roundedLevel(p);
    if (level != Pixels.grayOfScaled(p)) {
      throw new AssertionError("roundedLevel(" + p + ") = " + level + ", grayOfScaled gives "
          + Pixels.grayOfScaled(p));
    }
  }

  @Test
  void theArrayLoopsGiveTheScalarGrayLevels() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 5000;
    float[] x = new float[n];
    float[] delta = new float[n];
    float[] adv = new float[n];
    float[] edges = {0.0019607842f, 0f, 1f, -0f, -0.1f, 1.2f, Float.NaN, 100.5f / 255, 0.5f / 255};
    for (int i = 0; i < n; i++) {
      x[i] = i < edges.length ? Math.min(Math.max(edges[i], 0f), 1f) : (float) random.nextDouble();
      x[i] = Float.isNaN(x[i]) ? 0.5f : x[i];
      // snapSum takes an iterate's finite δ: a NaN edge is snap's alone
      delta[i] = i < edges.length ? (Float.isNaN(edges[i]) ? 0.3f : edges[i] - x[i])
          : (float) (random.nextDouble() * 0.2 - 0.1);
      adv[i] = i < edges.length ? edges[i] : x[i] + delta[i];
    }
    double eps = 0.05;
    Pixels.Ball ball = new Pixels.Ball(x, eps);
    float[] lowest = ball.lowest();
    float[] highest = ball.highest();
    float[] quantized = Pixels.quantize(adv);
    float[] snapped = ball.snap(adv);
    float[] summed = ball.snapSum(x, delta);
    for (int i = 0; i < n; i++) {
      assertThat(quantized[i]).as("quantize at %d (%s)", i, adv[i]).isEqualTo(Pixels.level(Pixels.gray(adv[i])));
      int inBall = Math.min(Math.max(Pixels.gray(adv[i]), (int) lowest[i]), (int) highest[i]);
      assertThat(snapped[i]).as("snap at %d (%s)", i, adv[i]).isEqualTo(Pixels.level(inBall));
      int sum = Math.min(Math.max(Pixels.gray(x[i] + delta[i]), (int) lowest[i]), (int) highest[i]);
      assertThat(summed[i]).as("snapSum at %d", i).isEqualTo(Pixels.level(sum));
    }
  }

  @Test
  void floatBelowKeepsEveryComparisonWithTheDouble() {
    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 2000; trial++) {
      double d = trial == 0 ? 0 : trial == 1 ? 1e-5 : random.nextDouble() * Math.pow(10, -random.nextInt(12));
      float below = Pixels.floatBelow(d);
      assertThat((double) below).isLessThanOrEqualTo(d);
      assertThat((double) Math.nextUp(below)).isGreaterThan(d);
      float f = (float) d;
      for (float g : new float[] {f, Math.nextUp(f), Math.nextDown(f), -f, -Math.nextUp(f), -Math.nextDown(f), 0f}) {
        assertThat(g > below).as("%s > %s", g, d).isEqualTo(g > d);
        assertThat(g < -below).as("%s < -%s", g, d).isEqualTo(g < -d);
      }
    }
  }

  @Test
  void quantizeRoundsToTheNearestGrayLevelAndClips() {
    float[] q = Pixels.quantize(new float[] {-0.2f, 0f, 0.4f / 255, 0.6f / 255, 100.49f / 255, 100.51f / 255, 1f, 1.3f});
    assertThat(q).containsExactly(0f, 0f, 0f, Pixels.level(1), Pixels.level(100), Pixels.level(101), 1f, 1f);
  }

  @Test
  void levelIsWhatDecodingAPngGives() {
    for (int k = 0; k < 256; k++) {
      assertThat(Math.round(Pixels.level(k) * 255f)).isEqualTo(k);
    }
  }

  @Test
  void ballSnapsToTheNearestLevelInsideTheBall() {
    float[] x = {Pixels.level(100), Pixels.level(100), Pixels.level(100), Pixels.level(2), Pixels.level(254)};
    double eps = 4.0 / 255;
    float[] adv = {Pixels.level(110), Pixels.level(90), Pixels.level(102) + 0.3f / 255, -1f, 2f};
    float[] snapped = new Pixels.Ball(x, eps).snap(adv);
    assertThat(snapped).containsExactly(Pixels.level(104), Pixels.level(96), Pixels.level(102), 0f, 1f);
    assertThat(Pixels.toGrid(adv, x, eps)).containsExactly(snapped);
  }

  @Test
  void ballWithoutALevelInsideKeepsTheLevelNearestTheInput() {
    // x is off the grid and eps is below half a gray level: no level lies within eps of x.
    float[] x = {100.5f / 255 + 0.1f / 255};
    float[] snapped = Pixels.toGrid(new float[] {0.9f}, x, 0.2 / 255);
    assertThat(snapped).containsExactly(Pixels.level(101));
  }

  @Test
  void negativeEpsMeansNoBound() {
    float[] adv = {0.9f, 0.1f};
    assertThat(Pixels.toGrid(adv, new float[] {0.5f, 0.5f}, -1)).containsExactly(Pixels.quantize(adv));
  }

  @Test
  void l2GridKeepsTheNearestLevelsWhenTheyFit() {
    float[] x = {Pixels.level(100), Pixels.level(100)};
    float[] adv = {100.6f / 255, 100.9f / 255};
    assertThat(Pixels.toL2Grid(adv, x, 2.0 / 255)).containsExactly(Pixels.quantize(adv));
    assertThat(Pixels.toL2Grid(adv, x, -1)).containsExactly(Pixels.quantize(adv));
  }

  @Test
  void l2GridMovesTheValueThatCostsLeastTowardsTheInput() {
    // Nearest rounding gives (101, 101), of length sqrt(2) levels > eps = |(0.6, 0.9)| = 1.08 levels.
    // Moving either value back to 100 fits; the first is the cheaper (0.6 levels from adv, not 0.9).
    float[] x = {Pixels.level(100), Pixels.level(100)};
    float[] adv = {100.6f / 255, 100.9f / 255};
    double eps = Pixels.l2(Pixels.sub(adv, x));
    assertThat(Pixels.toL2Grid(adv, x, eps)).containsExactly(Pixels.level(100), Pixels.level(101));
  }

  @Test
  void l2GridStaysInsideTheBallForRandomDeltas() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 300;
    int roundedInside = 0;
    for (int trial = 0; trial < 400; trial++) {
      boolean onGrid = trial % 2 == 0;
      // In a third of the trials a fifth of the values are at 0 or 1, so that deltas pointing outwards
      // clip; in the others clipping, which shortens δ, is rare.
      double edges = trial % 3 == 0 ? 0.2 : 0;
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        double u = random.nextDouble();
        x[i] = u < edges / 2 ? 0f : u < edges ? 1f : onGrid ? Pixels.level(32 + random.nextInt(192)) : (float) (0.125 + 0.75 * random.nextDouble());
      }
      double eps = Math.max(Pixels.l2(Pixels.sub(Pixels.quantize(x), x)), 0.02 + random.nextDouble());
      float[] delta = new float[n];
      for (int i = 0; i < n; i++) {
        delta[i] = (float) random.nextGaussian();
      }
      double radius = trial % 4 < 2 ? eps : eps * random.nextDouble();
      double length = Pixels.l2(delta);
      float[] adv = new float[n];
      for (int i = 0; i < n; i++) {
        adv[i] = x[i] + (float) (delta[i] * radius / length);
      }

      float[] rounded = Pixels.toL2Grid(adv, x, eps);
      float[] nearest = Pixels.quantize(adv);
      assertThat(Pixels.l2(Pixels.sub(rounded, x))).as("trial %d", trial).isLessThanOrEqualTo(eps + 1e-6);
      if (Pixels.l2(Pixels.sub(nearest, x)) <= eps) {
        assertThat(rounded).as("trial %d: nearest rounding fits", trial).containsExactly(nearest);
      } else {
        roundedInside++;
      }
      for (int i = 0; i < n; i++) {
        assertThat(Pixels.level(Math.round(rounded[i] * 255f))).as("trial %d value %d on the grid", trial, i)
            .isEqualTo(rounded[i]);
        float moved = rounded[i] - x[i];
        float near = nearest[i] - x[i];
        assertThat(Math.abs(moved)).as("trial %d value %d only moved towards x", trial, i)
            .isLessThanOrEqualTo(Math.abs(near));
        if (onGrid) {
          // Off the grid, the level nearest x may lie on x's other side.
          assertThat(moved * near).as("trial %d value %d not moved past x", trial, i).isGreaterThanOrEqualTo(0f);
        }
      }
    }
    assertThat(roundedInside).as("trials whose nearest rounding left the ball").isGreaterThan(50);
  }

  @Test
  void l2GridWithoutAnImageInsideEndsAtTheImageNearestTheInput() {
    // x is off the grid and eps is below its distance to every grid image.
    float[] x = {100.3f / 255, 100.6f / 255, 0.2f / 255};
    float[] adv = {103f / 255, 97f / 255, -1f};
    assertThat(Pixels.toL2Grid(adv, x, 0.1 / 255))
        .containsExactly(Pixels.level(100), Pixels.level(101), Pixels.level(0));
  }

  @Test
  void linfProjectionClampsEachValueAndStaysInTheUnitInterval() {
    float[] x = {0.5f, 0.5f, 0.95f, 0.05f};
    float[] delta = {0.3f, -0.01f, 0.09f, -0.2f};
    Pixels.project(delta, x, 0.1, Norm.LINF);
    assertThat(delta[0]).isCloseTo(0.1f, within(1e-6f));
    assertThat(delta[1]).isCloseTo(-0.01f, within(1e-6f));
    assertThat(x[2] + delta[2]).isCloseTo(1f, within(1e-6f));
    assertThat(x[3] + delta[3]).isCloseTo(0f, within(1e-6f));
  }

  @Test
  void l2ProjectionScalesOntoTheSphereOnlyWhenOutside() {
    float[] x = {0.5f, 0.5f};
    float[] outside = {0.3f, 0.4f};
    Pixels.project(outside, x, 0.25, Norm.L2);
    assertThat(Pixels.l2(outside)).isCloseTo(0.25, within(1e-6));
    assertThat(outside[0] / outside[1]).isCloseTo(0.75f, within(1e-6f));

    float[] inside = {0.03f, 0.04f};
    Pixels.project(inside, x, 0.25, Norm.L2);
    assertThat(inside[0]).isCloseTo(0.03f, within(1e-6f));
    assertThat(inside[1]).isCloseTo(0.04f, within(1e-6f));
  }

  @Test
  void normsOfAKnownVector() {
    float[] d = {3f, -4f, 0f, 1e-7f};
    assertThat(Pixels.l2(d)).isCloseTo(5, within(1e-6));
    assertThat(Pixels.l1(d)).isCloseTo(7, within(1e-6));
    assertThat(Pixels.linf(d)).isEqualTo(4);
    assertThat(Pixels.l0(d)).as("changes below 1e-6 do not count").isEqualTo(2);
    assertThat(Pixels.sub(new float[] {1f, 0.5f}, new float[] {0.25f, 0.5f})).containsExactly(0.75f, 0f);
    assertThat(Pixels.add(new float[] {0.9f, 0.1f}, new float[] {0.2f, -0.2f})).containsExactly(1f, 0f);
  }
}
