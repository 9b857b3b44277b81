package io.advlab.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One class of a prediction.
 *
 * @param index class index (network output)
 * @param label human-readable class name from the model's synset
 * @param wnid WordNet id when the synset has one (ImageNet models)
 * @param probability softmax probability in [0,1]
 * @param logit raw network output
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One class of a prediction", requiredProperties = "label")
public record Prediction(
    @Schema(example = "281") int index,
    @Schema(example = "tabby, tabby cat") String label,
    @Schema(example = "n02123045") String wnid,
    @Schema(example = "0.8734") double probability,
    @Schema(example = "12.41") double logit) {}
