package io.advlab.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.advlab.evaluate.EvaluationState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuning as the API shows it.
 *
 * @param id job id
 * @param state QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param model the model's name
 * @param parentVersion the version it starts from
 * @param method the method
 * @param dataset training data set, with its digest when the job was created
 * @param validationDataset validation data set, or null for a split of {@code dataset}
 * @param recipe the recipe with every default filled in
 * @param seed the seed
 * @param progress where the running epoch stands
 * @param epochs the finished epochs
 * @param bestEpoch the epoch kept (highest robust validation accuracy)
 * @param stoppedEarly why training stopped before its last epoch (catastrophic overfitting)
 * @param note what happened to the job besides training (resumed after a restart, handed to a
 *     training replica)
 * @param result the new version, once installed
 * @param evaluations the evaluations of parent and child started at the end, by role
 * @param comparison their figures side by side (per model version, per attack), as they stand
 * @param error why it failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "FineTuning", description = "An adversarial fine-tuning and its result")
public record FineTuningView(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) EvaluationState state,
    @Schema(example = "digits") String model,
    int parentVersion,
    @Schema(example = "pgd") String method,
    String dataset,
    String datasetDigest,
    String validationDataset,
    Map<String, Object> recipe,
    long seed,
    Progress progress,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Epoch> epochs,
    Integer bestEpoch,
    String stoppedEarly,
    String note,
    Result result,
    Map<String, String> evaluations,
    List<Comparison> comparison,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error) {

  /**
   * @param epoch the running (or last) epoch, 1-based
   * @param epochs epochs in the recipe
   * @param batch batches done in this epoch
   * @param batches batches per epoch
   * @param loss running mean training loss of this epoch
   * @param trainingAccuracy running training accuracy of this epoch
   * @param elapsedSeconds since the job started (until it finished)
   * @param etaSeconds estimated time left for training while running
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "FineTuningProgress")
  public record Progress(int epoch, int epochs, int batch, int batches, Double loss, Double trainingAccuracy,
      double elapsedSeconds, Double etaSeconds) {}

  /** A finished epoch: training loss and accuracy, validation clean and robust accuracy, seconds of training. */
  @Schema(name = "FineTuningEpoch")
  public record Epoch(int epoch, double loss, double trainingAccuracy, double cleanAccuracy, double robustAccuracy,
      double seconds) {}

  /** The new version: {@code model}, {@code version} and {@code id} ({@code digits:2}). */
  @Schema(name = "FineTuningResult")
  public record Result(String model, int version, String id) {}

  /** One model version's figures under one attack of the comparing evaluations. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "FineTuningComparison")
  public record Comparison(String role, String model, String evaluation, EvaluationState state, String method,
      Double eps, int images, Double cleanAccuracy, Double robustAccuracy) {}

  /** A page of fine-tunings, newest first. */
  public record Page(List<FineTuningView> items, int page, int size, long total) {}

  /** The answer to a new fine-tuning. */
  public record Created(String id, EvaluationState state) {}
}
