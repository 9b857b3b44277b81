package io.advlab.evaluate;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on evaluations, which are heavy: each image of each cell is one attack.
 *
 * @param shardSize images per shard (one JobRunr job) unless a request asks for another size
 * @param maxShardSize the largest shard size a request may ask for
 * @param maxImages most attacked images per job: images times cells (attacks times eps values)
 * @param maxActive jobs queued or running at once; one more is a 429
 * @param maxAttacks attacks per job
 * @param maxEps eps values per attack
 * @param parallel images attacked at once on one model version by all the shards this replica
 *     runs: their steps share each batched gradient pass ({@code AttackRunner#runShared}), the
 *     oldest shard's images first, so passes stay full while a shard's last images run out; it also caps
 *     evaluations' share of the gradient scheduler
 */
@ConfigurationProperties("advlab.evaluations")
@Validated
public record EvaluationProperties(
    @DefaultValue("50") @Min(1) int shardSize,
    @DefaultValue("500") @Min(1) int maxShardSize,
    @DefaultValue("50000") @Min(1) int maxImages,
    @DefaultValue("4") @Min(1) int maxActive,
    @DefaultValue("8") @Min(1) @Max(64) int maxAttacks,
    @DefaultValue("12") @Min(1) @Max(100) int maxEps,
    @DefaultValue("16") @Min(1) @Max(64) int parallel) {}
