package io.advlab.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How every served model's inference is scheduled, and the one-model shortcut: {@code url} (env
 * {@code ADVLAB_MODEL_URL}) set and no {@code advlab.models} list means "serve this one model".
 *
 * @param url DJL model URL ({@code djl://}, {@code file:}, {@code https:}) or a local folder laid
 *     out like {@code ../shared/models/*}; empty: serve {@code advlab.models}, or the built-in
 *     defaults (see {@link StartupModels})
 * @param name name of that one model; empty: derived from the URL (the folder's name)
 * @param device default device of every model: {@code auto} (GPU when present), {@code cpu},
 *     {@code gpu} or {@code gpu1}...
 * @param workers inference workers, each owning one DJL predictor; 0 means one per CPU core. One
 *     by default: every pass runs on the one {@link TorchThread} anyway, and a second worker only
 *     split the requests that queue during a pass into two smaller batches (resnet18, 2 cores,
 *     concurrency 8: 2.7 images per pass with two workers, 4.0 with one)
 * @param threads PyTorch intra-op threads; 0 keeps PyTorch's default (all cores)
 * @param maxBatchSize most images grouped into one forward pass
 * @param maxBatchDelay how long a worker waits for more requests to fill a batch while every other
 *     worker is busy (with an idle worker, or as the only one, it sends what is queued at once)
 * @param queueSize requests waiting for a worker before new ones get 503
 * @param timeout how long one request may wait for its result before it gets 503
 */
@ConfigurationProperties("advlab.model")
@Validated
public record ModelProperties(
    @DefaultValue("") String url,
    @DefaultValue("") String name,
    @DefaultValue("auto") @NotBlank String device,
    @DefaultValue("1") @Min(0) @Max(256) int workers,
    @DefaultValue("0") @Min(0) @Max(256) int threads,
    @DefaultValue("8") @Min(1) @Max(1024) int maxBatchSize,
    @DefaultValue("5ms") Duration maxBatchDelay,
    @DefaultValue("64") @Min(1) int queueSize,
    @DefaultValue("30s") Duration timeout) {

  /** Workers actually started: {@link #workers()} or the number of cores. */
  public int effectiveWorkers() {
    return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
  }
}
