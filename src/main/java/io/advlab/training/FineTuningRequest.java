package io.advlab.training;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * A fine-tuning to start ({@code POST /api/v1/models/{name}/fine-tunings}).
 *
 * @param version the parent version (default: the model's default version)
 * @param dataset the training data set (a data set of {@code GET /api/v1/datasets})
 * @param validationDataset the data set validated on after each epoch, and evaluated on at the end
 * @param validationSplit without {@code validationDataset}: the seeded share of {@code dataset}
 *     held out for validation (default 0.1, at most 0.5)
 * @param method {@code pgd}, {@code fgsm-rs}, {@code semantic} or {@code clean}
 * @param params the recipe: eps, stepSize, steps, epochs, batchSize, learningRate, schedule,
 *     cleanShare, freeze, validationSteps, validationLimit, collapse (see docs/fine-tuning.md)
 * @param seed shuffling, random starts and the validation split (default 0)
 */
@Schema(description = "An adversarial fine-tuning of a model version")
public record FineTuningRequest(
    @Schema(example = "1") Integer version,
    @Schema(example = "train", requiredMode = Schema.RequiredMode.REQUIRED) String dataset,
    @Schema(example = "test") String validationDataset,
    @Schema(example = "0.1") Double validationSplit,
    @Schema(example = "pgd", requiredMode = Schema.RequiredMode.REQUIRED) String method,
    @Schema(example = "{\"eps\": 0.1, \"stepSize\": 0.025, \"steps\": 7, \"epochs\": 5, \"learningRate\": 0.0001}")
    Map<String, Object> params,
    @Schema(example = "0") Long seed) {}
