package io.advlab.attack;

import io.advlab.problem.ApiException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Checks an attack request against the catalogue before any image is fetched: the deadline, the
 * method, the target class (allowed by the method, within the model's classes), the parameters, and
 * that {@code params.label} and a target are not both given. Every failure is a 400 naming the field.
 */
@Component
class AttackPlanner {

  private final AttackCatalogue catalogue;
  private final AttackProperties properties;

  AttackPlanner(AttackCatalogue catalogue, AttackProperties properties) {
    this.catalogue = catalogue;
    this.properties = properties;
  }

  AttackPlan plan(ModelShape shape, String method, Map<String, Object> rawParams, Integer targetClass,
      Long deadlineMs) {
    long budget = budget(deadlineMs);
    AttackCatalogue.Offer offer = catalogue.method(method, shape);
    MethodSpec spec = offer.spec();
    checkTarget(spec, targetClass, shape.classes());
    AttackParams params = new AttackParams(spec, rawParams);
    Integer label = spec.param("label") == null ? null : params.optionalInteger("label");
    if (label != null && targetClass != null) {
      throw ApiException.invalidField("params.label", "'params.label' is the true class of an untargeted attack;"
          + " leave it out when a 'target' is given.");
    }
    AttackMethod.Prepared prepared = offer.method().prepare(params);
    int eot = spec.param("eot") == null ? 0 : params.integer("eot");
    return new AttackPlan(spec, params, prepared, label, targetClass, budget, eot);
  }

  /** The request's deadline in nanoseconds: the configured default, or the request's, capped. */
  private long budget(Long deadlineMs) {
    if (deadlineMs == null) {
      return properties.deadline().toNanos();
    }
    if (deadlineMs < 1) {
      throw ApiException.invalidField("deadlineMs", "'deadlineMs' must be at least 1, got " + deadlineMs + ".");
    }
    return Math.min(TimeUnit.MILLISECONDS.toNanos(deadlineMs), properties.maxDeadline().toNanos());
  }

  private static void checkTarget(MethodSpec spec, Integer target, int classes) {
    if (target == null) {
      if (spec.targeted() == MethodSpec.Targeted.REQUIRED) {
        throw ApiException.invalidField("target", "Method '" + spec.name() + "' needs a 'target' class.");
      }
      return;
    }
    if (spec.targeted() == MethodSpec.Targeted.NEVER) {
      throw ApiException.invalidField("target", "Method '" + spec.name() + "' is untargeted; leave out 'target'.");
    }
    if (target < 0 || target >= classes) {
      throw ApiException.invalidField("target", "'target' must be a class index in [0, " + (classes - 1)
          + "], got " + target + ".");
    }
  }
}
