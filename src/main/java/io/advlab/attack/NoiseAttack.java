package io.advlab.attack;

import java.util.SplittableRandom;
import java.util.function.Function;

/** Uniform noise in [-eps, eps] or gaussian noise with sigma, clipped and put on the 8-bit grid. */
final class NoiseAttack {

  private NoiseAttack() {}

  /** Reads and checks the parameters now; the attack starts when the image is known. */
  static Function<AttackContext, Attack> prepare(AttackParams params) {
    boolean gaussian = "gaussian".equals(params.choice("distribution"));
    double eps = gaussian ? -1 : params.number("eps");
    double sigma = gaussian ? params.number("sigma") : 0;
    long seed = params.seed("seed");
    return context -> new ComputedAttack(noisy(context.input(), gaussian, eps, sigma, seed), eps);
  }

  private static float[] noisy(float[] x, boolean gaussian, double eps, double sigma, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] noisy = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double d = gaussian ? sigma * gaussian(random) : eps * (2 * random.nextDouble() - 1);
      noisy[i] = Pixels.clip01((float) (x[i] + d));
    }
    return Pixels.toGrid(noisy, x, eps);
  }

  /** Standard normal by Box-Muller, so the sequence depends only on the seed. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
