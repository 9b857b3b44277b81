package io.advlab.problem;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The problem+json body as it is on the wire, for the OpenAPI document (the server writes Spring's
 * {@code ProblemDetail}, whose extension members sit at the top level). Generated clients parse
 * errors into this type, so it declares every member advlab sends: the RFC 9457 ones and each
 * extension an {@link ApiException} may carry ({@link ApiException#with} refuses any other).
 *
 * @param type the problem type URI, one per {@link ProblemType}; clients switch on it
 * @param title the type's title in words
 * @param status the HTTP status
 * @param detail what exactly went wrong, in words a client can act on
 * @param instance the request path (relative)
 * @param field the invalid request field or parameter ({@code topK}, {@code params.eps}, {@code target}...)
 * @param retryAfterSeconds the same number as the {@code Retry-After} header
 * @param model the model version concerned ({@code name:version})
 * @param state that version's state
 * @param readyModels the versions that are ready now
 * @param dataset the data set concerned
 * @param unmatched class folders that match no label of the model
 * @param modelLabels some of the model's labels
 * @param width the image's width in pixels
 * @param height the image's height in pixels
 * @param maxPixels the pixel limit ({@code advlab.image.max-pixels})
 */
@Schema(name = "Problem", description = "An RFC 9457 problem (application/problem+json): `type` names the problem,"
    + " `detail` says what went wrong; extension members appear where they apply",
    requiredProperties = {"type", "title", "status", "detail", "instance"})
public record Problem(
    @Schema(format = "uri", example = "https://advlab.io/problems/invalid-request") String type,
    @Schema(example = "Invalid request") String title,
    @Schema(example = "400") int status,
    @Schema(example = "'topK' must be an integer.") String detail,
    @Schema(description = "The request path", example = "/api/v1/classifications") String instance,
    @Schema(description = "The invalid request field or parameter", example = "topK") String field,
    @Schema(description = "When to retry (503, 429); the same as the `Retry-After` header", example = "5")
    Integer retryAfterSeconds,
    @Schema(description = "The model version concerned (model-not-ready)", example = "digits:2") String model,
    @Schema(description = "That version's state (model-not-ready)",
        allowableValues = {"LOADING", "READY", "FAILED", "UNLOADED"}) String state,
    @Schema(description = "The versions ready now (model-not-ready)") List<String> readyModels,
    @Schema(description = "The data set concerned (dataset-* problems)", example = "test") String dataset,
    @Schema(description = "Class folders that match no label (dataset-mismatch)") List<String> unmatched,
    @Schema(description = "Some of the model's labels (dataset-mismatch)") List<String> modelLabels,
    @Schema(description = "Image width (image-dimensions-too-large)") Long width,
    @Schema(description = "Image height (image-dimensions-too-large)") Long height,
    @Schema(description = "The pixel limit (image-dimensions-too-large)") Long maxPixels) {

  private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail", "instance");

  /** The extension members: every member but the five of RFC 9457. */
  static final Set<String> EXTENSIONS = Stream.of(Problem.class.getRecordComponents())
      .map(c -> c.getName()).filter(name -> !STANDARD.contains(name)).collect(Collectors.toUnmodifiableSet());
}
