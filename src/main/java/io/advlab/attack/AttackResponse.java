package io.advlab.attack;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.advlab.defence.Defence;
import io.advlab.model.Prediction;
import io.advlab.model.UsedModel;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one attack.
 *
 * @param model the model version that was attacked
 * @param method the attack that ran
 * @param params the parameter values it ran with, defaults included
 * @param target the target class (targeted attacks only)
 * @param success untargeted: the adversarial top-1 differs from the original top-1 (or from the
 *     {@code label} parameter when given); targeted: the adversarial top-1 is the target
 * @param completed false when the deadline cut the attack short (the result is the best so far)
 * @param iterations gradient steps taken
 * @param original what the model saw in the preprocessed input
 * @param adversarial what the model sees in the adversarial image
 * @param perturbation size of adversarial minus original, in pixel units
 * @param adversarialImage the adversarial image, base64 PNG (8-bit RGB, the model's input size)
 * @param perturbationImage the perturbation made visible, base64 PNG: mid-gray is no change, the
 *     largest change is black or white
 * @param quantizedSuccess whether the returned PNG, decoded and classified again, still succeeds
 *     and still respects eps: L∞ attacks within half a gray level, L2 attacks up to float rounding
 * @param defence the defence the original and the result were judged through (absent: none); its
 *     predictions' {@code logit} is then the log of the probability averaged over the draws
 * @param timingsMs where the time went, in ms; for FGSM and PGD without random start
 *     {@code original} includes the first gradient step, taken in the same pass
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Result of an attack: predictions before and after, perturbation size, images",
    requiredProperties = {"model", "method", "params", "original", "adversarial", "perturbation", "adversarialImage",
        "perturbationImage", "timingsMs"})
public record AttackResponse(
    UsedModel model,
    @Schema(ref = AttackMethodNames.REF) String method,
    @Schema(example = "{\"eps\": 0.1, \"stepSize\": 0.025, \"steps\": 20}") Map<String, Object> params,
    @Schema(example = "3") Integer target,
    boolean success,
    boolean completed,
    @Schema(example = "4") int iterations,
    Side original,
    Side adversarial,
    Perturbation perturbation,
    @Schema(description = "The adversarial image, PNG bytes in base64", format = "byte",
        example = "iVBORw0KGgoAAAANSUhEUgAA...") String adversarialImage,
    @Schema(description = "The perturbation made visible (mid-gray is no change), PNG bytes in base64", format = "byte",
        example = "iVBORw0KGgoAAAANSUhEUgAA...") String perturbationImage,
    boolean quantizedSuccess,
    Defence defence,
    @Schema(description = "Milliseconds per phase. For fgsm, and pgd without randomStart, 'original' includes the"
        + " first gradient step, taken in the pass that classifies the original",
        example = "{\"preprocess\": 0.4, \"original\": 1.9, \"attack\": 21.1, \"classify\": 0.9, \"encode\": 1.2, \"total\": 25.5}")
    Map<String, Double> timingsMs) {

  /** Top predictions for one image. */
  @Schema(requiredProperties = "predictions")
  public record Side(List<Prediction> predictions) {}

  /**
   * Size of the perturbation delta = adversarial - original (both in [0,1]).
   *
   * @param l0 number of input values (of 3 x H x W) that changed
   * @param l2 Euclidean length of delta
   * @param linf largest absolute change of one value
   * @param rho l2 relative to the original's length, ||delta||2 / ||x||2, as in the DeepFool paper
   */
  public record Perturbation(@Schema(example = "3011") long l0, @Schema(example = "4.12") double l2,
      @Schema(example = "0.1") double linf, @Schema(example = "0.21") double rho) {}
}
