package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The 8-bit grid, the L∞ ball on it, the projections and the norms, on hand-picked vectors. */
class PixelsTests {

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
