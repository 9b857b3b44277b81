package io.advlab.attack;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Projected gradient descent ({@link PgdAttack}). Without a random start its first step is at the
 * clean input, so the pass that takes it classifies the original too.
 */
@Component
@Order(4)
final class PgdMethod implements AttackMethod {

  private final int maxSteps;

  PgdMethod(AttackProperties properties) {
    this.maxSteps = properties.maxSteps();
  }

  @Override
  public MethodSpec spec(ModelShape shape) {
    return new MethodSpec("pgd", "Projected gradient descent",
        "Iterated gradient steps projected back onto the eps-ball every step (Madry et al. 2018),"
            + " optionally from a random start; per-sample early stop once the attack succeeds.",
        MethodSpec.Targeted.OPTIONAL, true, List.of(CommonParams.eps(shape),
            ParamSpec.number("stepSize", null, 0, 1,
                "Size of each step in pixel units (L∞ step per value, or L2 length); default eps/4.")
                .withMaxL2(shape.maxL2()),
            ParamSpec.integer("steps", 10, 1, maxSteps, "Number of gradient steps."),
            ParamSpec.bool("randomStart", true, "Start from a uniformly random point of the eps-ball."),
            CommonParams.norm(),
            ParamSpec.bool("earlyStop", true, "Stop as soon as the (8-bit) iterate succeeds."),
            CommonParams.label(shape), CommonParams.seed()));
  }

  @Override
  public Prepared prepare(AttackParams params) {
    Norm norm = Norm.of(params.choice("norm"));
    double eps = params.budget("eps", norm, CommonParams.DEFAULT_EPS);
    double stepSize = params.budget("stepSize", norm, eps / 4);
    PgdAttack.Config config = new PgdAttack.Config(eps, stepSize, params.integer("steps"), params.bool("randomStart"),
        norm, params.bool("earlyStop"), params.seed("seed"));
    return new Prepared(context -> new PgdAttack(context, config), !config.randomStart());
  }
}
