package io.advlab.attack;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and scheduling of attacks ({@code advlab.attack.*}).
 *
 * @param deadline how long an attack may run when the request names no {@code deadlineMs}; at the
 *     deadline the best result so far is returned with {@code completed=false}
 * @param maxDeadline cap on a requested {@code deadlineMs} (larger values are clamped)
 * @param maxSteps largest {@code steps} / {@code maxIter} a request may ask for
 * @param queueSize gradient steps waiting for the scheduler before new attacks get 503
 * @param maxBatchSize most network inputs (images, EOT draws) in one batched forward/backward pass,
 *     as {@link GradientScheduler#networkRows} counts them (on a CPU DeepFool's candidates at one
 *     point share one input); one request's step is never split, so a larger step runs alone
 * @param maxBatchDelay how long the scheduler waits for the steps of other running attacks to
 *     join a batch (it stops waiting as soon as every running attack has submitted)
 */
@ConfigurationProperties("advlab.attack")
@Validated
public record AttackProperties(
    @DefaultValue("30s") Duration deadline,
    @DefaultValue("120s") Duration maxDeadline,
    @DefaultValue("1000") @Min(1) @Max(100_000) int maxSteps,
    @DefaultValue("64") @Min(1) int queueSize,
    @DefaultValue("64") @Min(1) @Max(4096) int maxBatchSize,
    @DefaultValue("5ms") Duration maxBatchDelay) {}
