package io.advlab.classify;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.multipart.MultipartFile;

/**
 * The multipart form of a classification: bound from the form fields (or query parameters) and
 * documented as the upload operation's request body, so every field is in its schema.
 *
 * @param image the image file (or give {@code url})
 * @param url http(s) URL to fetch instead of an upload
 * @param topK how many classes to return (default 5)
 * @param model the model to ask ({@code digits} or {@code digits:2}); default: the default model
 * @param defence a defence to classify through, as JSON text
 */
@Schema(name = "ClassificationUpload", description = "Multipart classification: an image file (or a URL) and options")
record ClassificationUpload(
    @Schema(type = "string", format = "binary", description = "The image file") MultipartFile image,
    @Schema(description = "http(s) URL to fetch instead of an upload") String url,
    @Min(1) @Max(1000) @Schema(description = "How many classes to return, most probable first", defaultValue = "5",
        minimum = "1", maximum = "1000") Integer topK,
    @Schema(description = "Model name, optionally with a version (name:version); default: the default model",
        example = "digits") String model,
    @Schema(description = "Defence to classify through, as a JSON object in text: `{\"type\": \"randomization\"}`")
    String defence) {}
