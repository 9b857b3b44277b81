package io.advlab.attack;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.multipart.MultipartFile;

/**
 * The multipart form of an attack request: bound from the form fields (or query parameters) and
 * documented as the upload operation's request body, so every field is in its schema.
 *
 * @param image the image file (or give {@code url})
 * @param url http(s) URL to fetch instead of an upload
 * @param method the attack
 * @param params the method's parameters as JSON text
 * @param target target class of a targeted attack
 * @param deadlineMs deadline in milliseconds
 * @param model the model to attack ({@code digits} or {@code digits:2}); default: the default model
 * @param defence the defence to attack through, as JSON text
 */
@Schema(name = "AttackUpload", description = "Multipart attack request: an image file (or a URL) plus form fields",
    requiredProperties = "method")
record AttackUploadForm(
    @Schema(type = "string", format = "binary", description = "The image file") MultipartFile image,
    @Schema(description = "http(s) URL to fetch instead of an upload") String url,
    @Schema(ref = AttackMethodNames.REF) String method,
    @Schema(description = "The method's parameters as a JSON object in text (see GET /api/v1/attacks):"
        + " `{\"eps\": 0.1, \"steps\": 20}`") String params,
    @Schema(description = "Target class of a targeted attack", example = "3", minimum = "0") Integer target,
    @Schema(description = "Deadline in milliseconds", example = "30000", minimum = "1") Long deadlineMs,
    @Schema(description = "Model name, optionally with a version (name:version); default: the default model",
        example = "digits") String model,
    @Schema(description = "Defence to attack through, as a JSON object in text: `{\"type\": \"randomization\"}`")
    String defence) {}
