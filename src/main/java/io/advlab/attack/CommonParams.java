package io.advlab.attack;

import java.util.List;

/** Parameters several methods share, described once so that the catalogue says the same of each. */
final class CommonParams {

  /** The usual L∞ budget, 8/255. */
  static final double DEFAULT_EPS = 8.0 / 255.0;

  private CommonParams() {}

  static ParamSpec eps(ModelShape shape) {
    return ParamSpec.number("eps", DEFAULT_EPS, 0, 1,
        "Perturbation budget in pixel units ([0,1] scale): the largest change of any value for norm linf"
            + " (at most 1), the L2 length of the whole perturbation for norm l2 (at most maxL2).")
        .withMaxL2(shape.maxL2());
  }

  static ParamSpec norm() {
    return ParamSpec.choice("norm", "linf", List.of("linf", "l2"), "Norm of the perturbation budget.");
  }

  static ParamSpec label(ModelShape shape) {
    return new ParamSpec("label", "integer", null, 0.0, (double) shape.classes() - 1, null, null,
        "Untargeted only: the true class, whose loss is raised and which the result must leave to count"
            + " as a success; default the model's original top-1.");
  }

  /** The most EOT draws per gradient step. */
  static final int MAX_EOT = 64;

  static ParamSpec eot() {
    return ParamSpec.integer("eot", 0, 0, MAX_EOT,
        "With a defence: random draws of the defence per gradient step, whose loss gradients are averaged"
            + " (Expectation over Transformation); 0 attacks the undefended network and judges the result"
            + " through the defence.");
  }

  static ParamSpec seed() {
    return new ParamSpec("seed", "integer", 0, 0.0, null, null, null,
        "Seed of every random choice; the same request and seed give the same result.");
  }
}
