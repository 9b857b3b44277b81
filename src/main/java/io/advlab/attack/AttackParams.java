package io.advlab.attack;

import io.advlab.problem.ApiException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's {@code params} read against its method's {@link MethodSpec}: defaults filled in,
 * types and ranges checked, unknown names rejected. Every failure is a 400 naming the field as
 * {@code params.<name>}. The values actually used are collected for the response.
 */
final class AttackParams {

  private final MethodSpec spec;
  private final Map<String, Object> raw;
  private final Map<String, Object> used = new LinkedHashMap<>();

  AttackParams(MethodSpec spec, Map<String, Object> raw) {
    this.spec = spec;
    this.raw = raw == null ? Map.of() : raw;
    for (String name : this.raw.keySet()) {
      if (spec.param(name) == null) {
        throw ApiException.invalidField("params." + name, "Method '" + spec.name() + "' has no parameter '" + name
            + "'; see GET /api/v1/attacks.");
      }
    }
  }

  /** A number within the catalogue's [min, max]. */
  double number(String name) {
    ParamSpec p = spec(name);
    Object value = raw.get(name);
    double v;
    if (value == null) {
      v = ((Number) p.defaultValue()).doubleValue();
    } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      v = n.doubleValue();
    } else {
      throw invalid(name, "must be a number, got " + describe(value) + ".");
    }
    checkRange(p, v, p.max());
    used.put(name, v);
    return v;
  }

  /**
   * A perturbation size whose cap depends on the norm: at most {@code max} (1) for linf, at most
   * {@code maxL2} for l2. A value above 1 with norm linf is the typical L2 budget sent with the
   * wrong norm and is rejected. {@code fallback} is used when absent and the catalogue has no default.
   */
  double budget(String name, Norm norm, double fallback) {
    ParamSpec p = spec(name);
    Object value = raw.get(name);
    double v;
    if (value == null) {
      v = p.defaultValue() == null ? fallback : ((Number) p.defaultValue()).doubleValue();
    } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      v = n.doubleValue();
    } else {
      throw invalid(name, "must be a number, got " + describe(value) + ".");
    }
    if (norm == Norm.LINF && v > p.max()) {
      throw invalid(name, "is " + v + ", above " + p.max() + ", the largest L∞ budget in pixel units;"
          + " for an L2 budget set norm to l2.");
    }
    checkRange(p, v, norm == Norm.L2 && p.maxL2() != null ? p.maxL2() : p.max());
    used.put(name, v);
    return v;
  }

  int integer(String name) {
    ParamSpec p = spec(name);
    Integer v = optionalInteger(name);
    return v != null ? v : ((Number) p.defaultValue()).intValue();
  }

  /** An integer, or null when absent and without default. */
  Integer optionalInteger(String name) {
    ParamSpec p = spec(name);
    Object value = raw.get(name);
    if (value == null) {
      if (p.defaultValue() != null) {
        used.put(name, p.defaultValue());
      }
      return p.defaultValue() == null ? null : ((Number) p.defaultValue()).intValue();
    }
    long v = wholeNumber(name, value);
    checkRange(p, v, p.max());
    used.put(name, v);
    return Math.toIntExact(v);
  }

  long seed(String name) {
    Object value = raw.get(name);
    long v = value == null ? ((Number) spec(name).defaultValue()).longValue() : wholeNumber(name, value);
    checkRange(spec(name), v, null);
    used.put(name, v);
    return v;
  }

  boolean bool(String name) {
    ParamSpec p = spec(name);
    Object value = raw.get(name);
    boolean v;
    if (value == null) {
      v = (Boolean) p.defaultValue();
    } else if (value instanceof Boolean b) {
      v = b;
    } else {
      throw invalid(name, "must be true or false, got " + describe(value) + ".");
    }
    used.put(name, v);
    return v;
  }

  String choice(String name) {
    ParamSpec p = spec(name);
    Object value = raw.get(name);
    String v = value == null ? (String) p.defaultValue() : value instanceof String s ? s.strip().toLowerCase() : null;
    if (v == null || !p.values().contains(v)) {
      throw invalid(name, "must be one of " + p.values() + ", got " + describe(value) + ".");
    }
    used.put(name, v);
    return v;
  }

  /** The values the attack ran with, defaults included, in the order they were read. */
  Map<String, Object> used() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(used));
  }

  private ParamSpec spec(String name) {
    ParamSpec p = spec.param(name);
    if (p == null) {
      throw new IllegalStateException(spec.name() + " has no parameter " + name);
    }
    return p;
  }

  private long wholeNumber(String name, Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 9.0e15) {
      return n.longValue();
    }
    throw invalid(name, "must be an integer, got " + describe(value) + ".");
  }

  private void checkRange(ParamSpec p, double v, Double max) {
    if (p.min() != null && v < p.min()) {
      throw invalid(p.name(), "is " + trim(v) + ", below the minimum " + trim(p.min()) + ".");
    }
    if (max != null && v > max) {
      throw invalid(p.name(), "is " + trim(v) + ", above the maximum " + trim(max) + ".");
    }
  }

  private ApiException invalid(String name, String detail) {
    return ApiException.invalidField("params." + name, "'params." + name + "' " + detail);
  }

  private static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
