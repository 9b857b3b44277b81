package io.advlab.attack;

import io.advlab.model.ModelRegistry;
import io.advlab.model.ServedModel;
import io.advlab.model.UsedModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Finds the model a request names in the {@link ModelRegistry} and holds a lease on it while the
 * request runs, so the version cannot be closed under the attack. Each served version gets its own
 * {@link GradientScheduler}, made on its first attack and closed with the version.
 */
@Component
class AttackTargets {

  private final ModelRegistry models;
  private final AttackProperties properties;
  private final MeterRegistry meters;

  AttackTargets(ModelRegistry models, AttackProperties properties, MeterRegistry meters) {
    this.models = models;
    this.properties = properties;
    this.meters = meters;
  }

  /** Runs {@code work} on the model {@code modelRef} names (the default model when null). */
  <T> T with(String modelRef, Function<AttackTarget, T> work) {
    try (ServedModel.Lease lease = models.acquire(modelRef)) {
      ServedModel served = lease.served();
      GradientScheduler scheduler = served.companion(GradientScheduler.class,
          s -> new GradientScheduler(s.model(), properties, meters, s.tags()));
      return work.apply(new AttackTarget(UsedModel.of(served), served.model(), served.batcher(), scheduler));
    }
  }
}
