package io.advlab.attack;

import ai.djl.Device;
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
 * @param stateOnDevice where an L∞ PGD/FGSM or a DeepFool attack keeps its state between steps
 *     ({@link LinfIterate}, {@link DeepFoolIterate}): {@code auto} on the model's device when that
 *     is a GPU, else in the JVM
 */
@ConfigurationProperties("advlab.attack")
@Validated
public record AttackProperties(
    @DefaultValue("30s") Duration deadline,
    @DefaultValue("120s") Duration maxDeadline,
    @DefaultValue("1000") @Min(1) @Max(100_000) int maxSteps,
    @DefaultValue("64") @Min(1) int queueSize,
    @DefaultValue("64") @Min(1) @Max(4096) int maxBatchSize,
    @DefaultValue("5ms") Duration maxBatchDelay,
    @DefaultValue("auto") StateOnDevice stateOnDevice) {

  /**
   * Where an L∞ or DeepFool attack's state lives. On a GPU, copying a 224x224 image in and out of the JVM and
   * stepping it in Java loops made a resnet18 PGD-10 request 2.0 to 2.6 times plain PyTorch's loop,
   * on the device 1.4 to 1.7 times (README, Benchmarks). On a CPU the JVM's fused loops are the
   * faster step (2.0 against 2.8 ms on a 224x224 image, 0.4 against 2 ms for 16 digits), and for
   * small images on a GPU the copies cost little: {@code never} keeps them in the JVM there too.
   * {@code always} puts them on a CPU engine's tensors as well, which tests the device path
   * without a GPU.
   */
  public enum StateOnDevice {
    AUTO, ALWAYS, NEVER;

    /** Whether an attack on a model on {@code device} keeps its state there. */
    public boolean on(Device device) {
      return this == ALWAYS || (this == AUTO && device.isGpu());
    }
  }
}
