package io.advlab.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One model and its versions as {@code GET /api/v1/models} lists them.
 *
 * @param name model name
 * @param isDefault whether requests without {@code model} get this one (JSON {@code default})
 * @param defaultVersion the version requests naming only the model get
 * @param required whether readiness waits for it
 * @param versions every version, lowest first
 */
@Schema(description = "A model and its versions")
public record ModelStatus(
    @Schema(example = "digits", requiredMode = Schema.RequiredMode.REQUIRED) String name,
    @com.fasterxml.jackson.annotation.JsonProperty("default") @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
    boolean isDefault,
    @Schema(example = "1") Integer defaultVersion,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean required,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Version> versions) {

  /**
   * One version.
   *
   * @param version version number
   * @param state LOADING, READY, FAILED or UNLOADED
   * @param reason why it is not READY, in words
   * @param device where it runs (or is to run)
   * @param source where it was loaded from
   * @param stored whether it lives in the model store (registered) rather than in the configuration
   * @param weightsBytes memory its weights take (two instances: inference and gradients); READY only
   * @param parameterCount parameters of the network; READY only
   * @param readySince when it became READY
   * @param warmUpMs latency of the warm-up inference and gradient passes
   * @param inFlight requests using it now
   * @param metadata how it was made (registered versions)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "ModelVersion", description = "One version of a model")
  public record Version(
      @Schema(example = "1", requiredMode = Schema.RequiredMode.REQUIRED) int version,
      @Schema(example = "READY", allowableValues = {"LOADING", "READY", "FAILED", "UNLOADED"},
          requiredMode = Schema.RequiredMode.REQUIRED) String state,
      @Schema(example = "cannot reach the DJL model zoo (no network): ...") String reason,
      @Schema(example = "cpu()", requiredMode = Schema.RequiredMode.REQUIRED) String device,
      @Schema(example = "classpath:models/digits") String source,
      boolean stored,
      Long weightsBytes,
      Long parameterCount,
      Instant readySince,
      Double warmUpMs,
      int inFlight,
      ModelMetadata metadata) {}
}
