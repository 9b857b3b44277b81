package io.advlab.system;

import io.advlab.model.ClassifierModel;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the model: DOWN until {@link WarmUpRunner} has run a real inference, then UP with
 * the model's name, device and warm-up latency. Registered as {@code model} in the readiness group.
 */
@Component("model")
class ModelHealthIndicator implements HealthIndicator {

  private final ClassifierModel model;
  private volatile WarmUpRunner.Result warmUp;

  ModelHealthIndicator(ClassifierModel model) {
    this.model = model;
  }

  void warmedUp(WarmUpRunner.Result result) {
    this.warmUp = result;
  }

  @Override
  public Health health() {
    Health.Builder health = warmUp == null ? Health.outOfService().withDetail("reason", "warming up") : Health.up();
    health.withDetail("name", model.name()).withDetail("device", model.device().toString());
    if (warmUp != null) {
      health.withDetail("warmUpInferenceMs", warmUp.inferenceMs()).withDetail("warmUpGradientMs", warmUp.gradientMs());
    }
    return health.build();
  }
}
