package io.advlab.attack;

import java.util.List;
import java.util.SplittableRandom;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Uniform noise in [-eps, eps] or gaussian noise with sigma, clipped and put on the 8-bit grid. */
@Component
@Order(1)
final class NoiseMethod implements AttackMethod {

  @Override
  public MethodSpec spec(ModelShape shape) {
    return new MethodSpec("noise", "Random noise",
        "Adds uniform noise in [-eps, eps] (distribution uniform) or gaussian noise with sigma"
            + " (distribution gaussian), clipped to [0,1]. A black-box baseline.",
        MethodSpec.Targeted.NEVER, false, List.of(
            ParamSpec.choice("distribution", "uniform", List.of("uniform", "gaussian"), "Noise distribution."),
            ParamSpec.number("eps", CommonParams.DEFAULT_EPS, 0, 1, "Uniform noise bound (L∞) in pixel units."),
            ParamSpec.number("sigma", 0.05, 0, 1, "Standard deviation of gaussian noise in pixel units."),
            CommonParams.seed()));
  }

  @Override
  public Prepared prepare(AttackParams params) {
    boolean gaussian = "gaussian".equals(params.choice("distribution"));
    double eps = gaussian ? -1 : params.number("eps");
    double sigma = gaussian ? params.number("sigma") : 0;
    long seed = params.seed("seed");
    return Prepared.of(context -> new ComputedAttack(noisy(context.input(), gaussian, eps, sigma, seed), eps));
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
