package io.advlab.evaluate;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The worst case of a cell: of the images the attack turned from right to wrong, the one with the
 * smallest perturbation (L2), i.e. the least change that fools the model. Each shard keeps its
 * own; the cell shows the smallest of them.
 *
 * @param image the image's path in the data set
 * @param label the true class (model label index)
 * @param adversarial the class the model answers for the adversarial image
 * @param l2 L2 norm of the perturbation (pixel units)
 * @param linf L∞ norm of the perturbation
 * @param originalImage the data set's image, base64 as stored
 * @param adversarialImage the adversarial image, base64 PNG at the model's input size
 * @param perturbationImage the perturbation made visible, base64 PNG (mid-gray is no change)
 */
@Schema(name = "EvaluationExample", description = "The smallest successful perturbation of a cell",
    requiredProperties = {"image", "originalImage", "adversarialImage", "perturbationImage"})
public record WorstCase(String image, int label, int adversarial, double l2, double linf,
    @Schema(format = "byte") String originalImage, @Schema(format = "byte") String adversarialImage,
    @Schema(format = "byte") String perturbationImage) {}
