package io.advlab.system;

import io.advlab.model.ModelRegistry;
import io.advlab.model.ModelStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the served models, registered as {@code models} in the readiness group: UP when
 * every model marked {@code required} has a READY version and at least one version is READY, so
 * an offline first run is ready with the demo model while ResNet18 is FAILED. Details list every
 * version's state and reason (shown to operators only).
 */
@Component("models")
class ModelHealthIndicator implements HealthIndicator {

  private final ModelRegistry registry;

  ModelHealthIndicator(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    List<ModelStatus> models = registry.status();
    Map<String, Object> versions = new LinkedHashMap<>();
    boolean anyReady = false;
    List<String> missing = new java.util.ArrayList<>();
    for (ModelStatus model : models) {
      boolean modelReady = false;
      for (ModelStatus.Version v : model.versions()) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("state", v.state());
        if (v.reason() != null) {
          detail.put("reason", v.reason());
        }
        detail.put("device", v.device());
        versions.put(model.name() + ":" + v.version(), detail);
        modelReady |= "READY".equals(v.state());
      }
      anyReady |= modelReady;
      if (model.required() && !modelReady) {
        missing.add(model.name());
      }
    }
    Health.Builder health;
    if (!missing.isEmpty()) {
      health = Health.outOfService().withDetail("reason", "required models not ready: " + missing);
    } else if (!anyReady) {
      health = Health.outOfService().withDetail("reason", "no model is ready yet");
    } else {
      health = Health.up();
    }
    return health.withDetail("defaultModel", String.valueOf(registry.defaultModel()))
        .withDetail("versions", versions).build();
  }
}
