package io.advlab.model;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The model version that answered a request, as every response names it.
 *
 * @param name model name
 * @param version version number
 * @param id {@code name:version}, what a request's {@code model} field takes to pin this version
 * @param device where it ran, e.g. {@code cpu()} or {@code gpu(0)}
 */
@Schema(description = "The model version that answered")
public record UsedModel(
    @Schema(example = "digits", requiredMode = Schema.RequiredMode.REQUIRED) String name,
    @Schema(example = "1", requiredMode = Schema.RequiredMode.REQUIRED) int version,
    @Schema(example = "digits:1", requiredMode = Schema.RequiredMode.REQUIRED) String id,
    @Schema(example = "cpu()", requiredMode = Schema.RequiredMode.REQUIRED) String device) {

  public static UsedModel of(ServedModel served) {
    return new UsedModel(served.id().name(), served.id().version(), served.id().toString(),
        served.model().device().toString());
  }
}
