package io.advlab.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An evaluation as the API shows it: what it runs on (exactly, to repeat it), where it stands,
 * and the figures so far.
 *
 * @param id job id
 * @param state QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param model the model version it runs on ({@code name:version})
 * @param dataset the data set
 * @param datasetDigest the data set's digest when the job was created
 * @param seed seed of the sample and the attacks
 * @param images images per cell
 * @param request the request as accepted (everything needed to run it again)
 * @param progress images and shards done, elapsed time, estimated time left
 * @param results one entry per attack and eps, the figures over the images done
 * @param error why it failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Evaluation", description = "A robustness evaluation and its results so far",
    requiredProperties = {"model", "dataset", "datasetDigest", "request", "progress", "results", "createdAt"})
public record EvaluationView(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) EvaluationState state,
    @Schema(example = "digits:1") String model,
    @Schema(example = "test") String dataset,
    String datasetDigest,
    long seed,
    int images,
    Map<String, Object> request,
    Progress progress,
    List<CellFigures> results,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error) {

  /**
   * @param imagesDone attacked images over all cells
   * @param imagesTotal images times cells
   * @param shardsDone finished shards
   * @param shardsTotal all shards
   * @param elapsedSeconds since the first shard started (until the end, once finished)
   * @param etaSeconds estimated time left while running
   * @param shardsByWorker finished shards per process (host and pid) that ran them
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "EvaluationProgress", requiredProperties = "shardsByWorker")
  public record Progress(int imagesDone, int imagesTotal, int shardsDone, int shardsTotal, double elapsedSeconds,
      Double etaSeconds, Map<String, Long> shardsByWorker) {}

  /** A page of evaluations, newest first. */
  @Schema(name = "EvaluationPage", requiredProperties = "items")
  public record Page(List<EvaluationView> items, int page, int size, long total) {}

  /** The answer to a new evaluation. */
  @Schema(name = "EvaluationCreated", requiredProperties = {"id", "state"})
  public record Created(String id, EvaluationState state) {}
}
