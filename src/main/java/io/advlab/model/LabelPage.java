package io.advlab.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A window of the model's labels.
 *
 * @param labels the labels from {@code offset}, at most {@code limit} of them
 * @param offset index of the first label returned
 * @param limit how many were asked for
 * @param total how many labels the model has
 */
@Schema(description = "A page of class labels", requiredProperties = "labels")
public record LabelPage(List<Labels.Label> labels, int offset, int limit, int total) {}
