package io.advlab.system;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.ClassifierModel;
import io.advlab.model.InferenceBatcher;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Runs one inference through the batching pool and one input-gradient pass before the service
 * reports ready, so the first user request does not pay for lazy native initialisation.
 */
@Component
class WarmUpRunner implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(WarmUpRunner.class);

  private final ClassifierModel model;
  private final InferenceBatcher batcher;
  private final ModelHealthIndicator health;

  WarmUpRunner(ClassifierModel model, InferenceBatcher batcher, ModelHealthIndicator health) {
    this.model = model;
    this.batcher = batcher;
    this.health = health;
  }

  /** Latencies of the warm-up passes, in milliseconds. */
  record Result(double inferenceMs, double gradientMs) {}

  @Override
  public void run(ApplicationArguments args) {
    float[] gray = new float[model.preprocessing().inputSize()];
    Arrays.fill(gray, 0.5f);
    long start = System.nanoTime();
    batcher.logits(gray);
    long inferred = System.nanoTime();
    model.gradient().exclusive(collector -> {
      try (NDManager manager = model.gradient().newManager()) {
        NDArray x = manager.create(gray, new Shape(1, 3, model.preprocessing().height(), model.preprocessing().width()));
        x.setRequiresGradient(true);
        collector.backward(model.gradient().logits(x).max());
        return x.getGradient().abs().sum().getFloat();
      }
    });
    long done = System.nanoTime();
    Result result = new Result((inferred - start) / 1e6, (done - inferred) / 1e6);
    health.warmedUp(result);
    log.info("Warm-up done: inference {} ms, gradient {} ms", result.inferenceMs(), result.gradientMs());
  }
}
