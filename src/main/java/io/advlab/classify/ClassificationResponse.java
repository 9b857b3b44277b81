package io.advlab.classify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.advlab.defence.Defence;
import io.advlab.model.Prediction;
import io.advlab.model.UsedModel;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * What the model saw.
 *
 * @param model which model version answered
 * @param predictions the top-k classes, most probable first
 * @param defence the defence the image was classified through (absent: none); the predictions'
 *     probabilities are then averaged over its draws and {@code logit} is their log
 * @param timingsMs where the time went: decode, preprocess, inference (including queueing), total
 */
@Schema(description = "Top-k predictions for one image", requiredProperties = {"model", "predictions", "timingsMs"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationResponse(UsedModel model, List<Prediction> predictions, Defence defence,
    Map<String, Double> timingsMs) {}
