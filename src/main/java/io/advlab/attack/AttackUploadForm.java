package io.advlab.attack;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The multipart form of an attack request, for the OpenAPI document only (the controller reads the
 * parts one by one).
 *
 * @param image the image file (or give {@code url})
 * @param url http(s) URL to fetch instead of an upload
 * @param method the attack
 * @param params the method's parameters as a JSON object
 * @param target target class of a targeted attack
 * @param deadlineMs deadline in milliseconds
 * @param model the model to attack ({@code digits} or {@code digits:2}); default: the default model
 * @param defence the defence to attack through, as a JSON object
 */
@Schema(description = "Multipart attack request: an image file plus form fields")
record AttackUploadForm(
    @Schema(type = "string", format = "binary", description = "The image file") String image,
    @Schema(description = "http(s) URL to fetch instead of an upload") String url,
    @Schema(example = "pgd", allowableValues = {"noise", "semantic", "fgsm", "pgd", "deepfool"}) String method,
    @Schema(description = "Parameters as a JSON object", example = "{\"eps\": 0.1, \"steps\": 20}") String params,
    @Schema(example = "3") Integer target,
    @Schema(example = "30000") Long deadlineMs,
    @Schema(description = "Model name, optionally with a version (name:version); default: the default model",
        example = "digits") String model,
    @Schema(description = "Defence to attack through, as a JSON object",
        example = "{\"type\": \"randomization\"}") String defence) {}
