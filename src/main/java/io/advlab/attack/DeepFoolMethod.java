package io.advlab.attack;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** DeepFool ({@link DeepFoolAttack}): untargeted, its candidates limited by the model's classes. */
@Component
@Order(5)
final class DeepFoolMethod implements AttackMethod {

  private final int maxSteps;

  DeepFoolMethod(AttackProperties properties) {
    this.maxSteps = properties.maxSteps();
  }

  @Override
  public MethodSpec spec(ModelShape shape) {
    int classes = shape.classes();
    return new MethodSpec("deepfool", "DeepFool",
        "Minimal perturbation across the linearized nearest decision boundary (Moosavi-Dezfooli et al."
            + " 2016), gradients of all candidate classes computed in one batched pass per iteration."
            + " Untargeted.",
        MethodSpec.Targeted.NEVER, true, List.of(
            ParamSpec.number("overshoot", 0.02, 0, 1, "Relative step past the boundary."),
            ParamSpec.integer("maxIter", 50, 1, maxSteps, "Most iterations."),
            ParamSpec.integer("candidates", Math.min(10, classes), 2, classes,
                "How many of the original top classes (the original class included) are considered."),
            ParamSpec.choice("norm", "l2", List.of("l2", "linf"), "Norm the perturbation is minimal in.")));
  }

  @Override
  public Prepared prepare(AttackParams params) {
    double overshoot = params.number("overshoot");
    int maxIter = params.integer("maxIter");
    int candidates = params.integer("candidates");
    Norm norm = Norm.of(params.choice("norm"));
    return Prepared.of(context -> new DeepFoolAttack(context, overshoot, maxIter, candidates, norm));
  }
}
