package io.advlab.attack;

import io.advlab.model.ClassifierModel;
import io.advlab.problem.ApiException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every attack advlab offers, with its parameters, defaults and ranges, as served by
 * {@code GET /api/v1/attacks}. Ranges that depend on the model (classes, input size) are filled in
 * from the loaded model.
 */
public class AttackCatalogue {

  /** The usual L∞ budget, 8/255. */
  static final double DEFAULT_EPS = 8.0 / 255.0;

  private final List<MethodSpec> methods;

  /** The catalogue for a model with {@code classes} outputs and {@code inputSize} input values. */
  static AttackCatalogue of(ClassifierModel model, AttackProperties properties) {
    return new AttackCatalogue(model.classes(), model.preprocessing().inputSize(), properties.maxSteps());
  }

  AttackCatalogue(int classes, int inputSize, int maxSteps) {
    double maxL2 = Math.sqrt(inputSize);
    ParamSpec eps = ParamSpec.number("eps", DEFAULT_EPS, 0, 1,
        "Perturbation budget in pixel units ([0,1] scale): the largest change of any value for norm linf"
            + " (at most 1), the L2 length of the whole perturbation for norm l2 (at most maxL2).").withMaxL2(maxL2);
    ParamSpec norm = ParamSpec.choice("norm", "linf", List.of("linf", "l2"), "Norm of the perturbation budget.");
    ParamSpec label = new ParamSpec("label", "integer", null, 0.0, (double) classes - 1, null, null,
        "Untargeted only: the true class, whose loss is raised and which the result must leave to count"
            + " as a success; default the model's original top-1.");
    ParamSpec seed = new ParamSpec("seed", "integer", 0, 0.0, null, null, null,
        "Seed of every random choice; the same request and seed give the same result.");
    this.methods = List.of(
        new MethodSpec("noise", "Random noise",
            "Adds uniform noise in [-eps, eps] (distribution uniform) or gaussian noise with sigma"
                + " (distribution gaussian), clipped to [0,1]. A black-box baseline.",
            "never", false, List.of(
                ParamSpec.choice("distribution", "uniform", List.of("uniform", "gaussian"), "Noise distribution."),
                ParamSpec.number("eps", DEFAULT_EPS, 0, 1, "Uniform noise bound (L∞) in pixel units."),
                ParamSpec.number("sigma", 0.05, 0, 1, "Standard deviation of gaussian noise in pixel units."),
                seed)),
        new MethodSpec("semantic", "Negative image",
            "The negative image 1 - x in pixel space (Hosseini and Poovendran 2017). No parameters.",
            "never", false, List.of()),
        new MethodSpec("fgsm", "Fast gradient sign method",
            "One gradient step of size eps (Goodfellow et al. 2015): the gradient's sign for norm linf,"
                + " the L2-normalized gradient (FGM) for norm l2. Untargeted raises the loss of the original"
                + " class; with a target (T-FGSM) it lowers the target's loss.",
            "optional", true, List.of(eps, norm, label)),
        new MethodSpec("pgd", "Projected gradient descent",
            "Iterated gradient steps projected back onto the eps-ball every step (Madry et al. 2018),"
                + " optionally from a random start; per-sample early stop once the attack succeeds.",
            "optional", true, List.of(eps,
                ParamSpec.number("stepSize", null, 0, 1,
                    "Size of each step in pixel units (L∞ step per value, or L2 length); default eps/4.")
                    .withMaxL2(maxL2),
                ParamSpec.integer("steps", 10, 1, maxSteps, "Number of gradient steps."),
                ParamSpec.bool("randomStart", true, "Start from a uniformly random point of the eps-ball."),
                norm,
                ParamSpec.bool("earlyStop", true, "Stop as soon as the (8-bit) iterate succeeds."),
                label, seed)),
        new MethodSpec("deepfool", "DeepFool",
            "Minimal perturbation across the linearized nearest decision boundary (Moosavi-Dezfooli et al."
                + " 2016), gradients of all candidate classes computed in one batched pass per iteration."
                + " Untargeted.",
            "never", true, List.of(
                ParamSpec.number("overshoot", 0.02, 0, 1, "Relative step past the boundary."),
                ParamSpec.integer("maxIter", 50, 1, maxSteps, "Most iterations."),
                ParamSpec.integer("candidates", Math.min(10, classes), 2, classes,
                    "How many of the original top classes (the original class included) are considered."),
                ParamSpec.choice("norm", "l2", List.of("l2", "linf"), "Norm the perturbation is minimal in."))));
  }

  public List<MethodSpec> methods() {
    return methods;
  }

  /** The method named; 400 naming {@code method} when there is none or it is unknown. */
  MethodSpec method(String name) {
    if (name == null || name.isBlank()) {
      throw ApiException.invalidField("method", "'method' is required: one of " + names() + ".");
    }
    return methods.stream().filter(m -> m.name().equals(name.strip())).findFirst()
        .orElseThrow(() -> ApiException.invalidField("method",
            "Unknown attack method '" + name + "': expected one of " + names() + "."));
  }

  private String names() {
    return methods.stream().map(MethodSpec::name).collect(Collectors.joining(", "));
  }
}
