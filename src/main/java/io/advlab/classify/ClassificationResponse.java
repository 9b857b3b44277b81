package io.advlab.classify;

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
 * @param timingsMs where the time went: decode, preprocess, inference (including queueing), total
 */
@Schema(description = "Top-k predictions for one image")
public record ClassificationResponse(UsedModel model, List<Prediction> predictions, Map<String, Double> timingsMs) {}
