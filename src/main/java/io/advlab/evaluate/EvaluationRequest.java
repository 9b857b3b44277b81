package io.advlab.evaluate;

import io.advlab.attack.AttackMethodNames;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * What to evaluate: a model on a data set under attacks, each swept over eps values.
 *
 * @param model the model ({@code digits} or {@code digits:2}); the default model when left out.
 *     The job records the exact version it ran on
 * @param dataset a data set of {@code GET /api/v1/datasets}
 * @param attacks the attacks; each eps value of each attack is one cell of the results
 * @param defence a defence every image is judged through, as in a single attack's {@code defence}
 *     (e.g. {@code {"type": "randomization"}}); attacks adapt to it with {@code params.eot}
 * @param seed seed of the image sample and of every attack's randomness (default 0)
 * @param limit evaluate a seeded random sample of this many images (default: all)
 * @param shardSize images per shard, the unit of work a replica takes (default
 *     {@code advlab.evaluations.shard-size})
 */
@Schema(description = "A robustness evaluation: a model on a data set under attacks swept over eps")
public record EvaluationRequest(
    @Schema(example = "digits") String model,
    @Schema(example = "test", requiredMode = Schema.RequiredMode.REQUIRED) String dataset,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Sweep> attacks,
    Map<String, Object> defence,
    @Schema(example = "0") Long seed,
    @Schema(example = "1000") Integer limit,
    @Schema(example = "50") Integer shardSize) {

  /**
   * One attack swept over eps.
   *
   * @param method an attack of {@code GET /api/v1/attacks}
   * @param params its parameters (not {@code eps}, which comes from the sweep; {@code label} is set
   *     to each image's true class where the method takes one)
   * @param eps the budgets to sweep; empty or absent for methods without eps (semantic, DeepFool)
   */
  @Schema(name = "EvaluationAttack")
  public record Sweep(
      @Schema(ref = AttackMethodNames.REF, requiredMode = Schema.RequiredMode.REQUIRED) String method,
      @Schema(example = "{\"steps\": 20, \"stepSize\": 0.025}") Map<String, Object> params,
      @Schema(example = "[0.1, 0.2, 0.3]") List<Double> eps) {}
}
