package io.advlab.training;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Fine-tuning settings and limits ({@code advlab.training.*}).
 *
 * @param enabled whether this replica runs fine-tuning jobs (env {@code ADVLAB_TRAINING_ENABLED}).
 *     A serving replica sets it false: a fine-tuning job JobRunr hands it is put back for another
 *     replica (see docs/fine-tuning.md); it still accepts and reports jobs
 * @param maxActive fine-tunings queued or running at once (all models); one more is a 429
 * @param maxEpochs most epochs a request may ask for
 * @param maxSteps most attack steps per batch (and per validation attack)
 * @param maxBatchSize most images per batch
 * @param maxImages most training images (they are decoded into memory once)
 * @param yield how long a training pass lets waiting interactive gradient work go first before it
 *     queues fairly for the JVM-wide gradient lock
 * @param handOff how long a replica with {@code enabled=false} puts a job back for
 */
@ConfigurationProperties("advlab.training")
@Validated
public record TrainingProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("2") @Min(1) int maxActive,
    @DefaultValue("50") @Min(1) int maxEpochs,
    @DefaultValue("50") @Min(1) int maxSteps,
    @DefaultValue("512") @Min(1) int maxBatchSize,
    @DefaultValue("100000") @Min(1) int maxImages,
    @DefaultValue("1s") Duration yield,
    @DefaultValue("30s") Duration handOff) {}
