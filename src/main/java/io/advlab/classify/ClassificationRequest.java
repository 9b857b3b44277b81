package io.advlab.classify;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Map;

/**
 * JSON form of a classification request: exactly one of {@code url} and {@code imageBase64}.
 *
 * @param url http(s) URL of the image; fetched only from public addresses
 * @param imageBase64 image bytes in base64, or a {@code data:image/...;base64,} URI
 * @param topK how many classes to return, most probable first (default 5)
 * @param defence a defence to classify through, e.g. {@code {"type": "randomization", "draws": 30}}
 * @param model the model to ask: {@code digits} (its default version) or {@code digits:2}; the
 *     default model when left out
 */
@Schema(description = "Classify an image given by URL or base64")
public record ClassificationRequest(
    @Schema(example = "https://upload.wikimedia.org/wikipedia/commons/4/4d/Cat_November_2010-1a.jpg") String url,
    @Schema(description = "The image bytes in base64 (a `data:image/...;base64,` URI is accepted too)", format = "byte",
        example = "iVBORw0KGgoAAAANSUhEUgAA...") String imageBase64,
    @Min(1) @Max(1000) @Schema(defaultValue = "5", minimum = "1", maximum = "1000") Integer topK,
    @Schema(description = "Defence to classify through: {\"type\": \"randomization\", \"draws\": 30, \"minSize\","
        + " \"maxSize\", \"flip\": false, \"seed\": 0}; the softmax is averaged over the draws",
        example = "{\"type\": \"randomization\"}") Map<String, Object> defence,
    @Schema(description = "Model name, optionally with a version (name:version); default: the default model",
        example = "digits") String model) {}
