package io.advlab.training;

import io.advlab.problem.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fine-tuning recipe, checked and with every default filled in, so the job (and its metadata)
 * records exactly what ran. Pixels are in [0,1]; eps and step sizes are L∞ in those units.
 *
 * @param method how training rows are made
 * @param eps the L∞ budget of the training attack, and of the validation attack
 * @param stepSize the attack's step: default eps/4 for {@code pgd}, 1.25·eps for {@code fgsm-rs}
 * @param steps attack steps per batch: default 7 for {@code pgd}; always 1 for {@code fgsm-rs}
 * @param epochs passes over the training images
 * @param batchSize images per batch
 * @param learningRate Adam's learning rate (the peak of a {@code cyclic} schedule)
 * @param schedule {@code constant}, {@code step} or {@code cyclic} (see {@link LearningRate})
 * @param cleanShare share of each batch's rows that are its images unchanged; the rest are the
 *     method's rows. 0.5 (semantic's default) means every image once clean and once negated
 * @param freeze what stays as it is: {@code batchnorm} (BatchNorm layers keep their running
 *     statistics: the module stays in eval mode while training) and parameter name prefixes
 *     ({@code c1}, {@code layer1.0.conv1}) whose weights are not updated
 * @param validationSteps PGD steps (step eps/4, random start) of the robust validation accuracy
 * @param validationLimit validation images per epoch (a seeded sample when the set is larger)
 * @param collapse the early stop: training stops when robust validation accuracy falls this far
 *     below the best epoch's (catastrophic overfitting); the best epoch is kept
 * @param seed shuffling and random starts
 */
record Recipe(Method method, double eps, double stepSize, int steps, int epochs, int batchSize, double learningRate,
    String schedule, double cleanShare, List<String> freeze, int validationSteps, int validationLimit, double collapse,
    long seed) {

  static final double DEFAULT_EPS = 8 / 255.0;
  private static final Set<String> KNOWN = Set.of("eps", "stepSize", "steps", "epochs", "batchSize", "learningRate",
      "schedule", "cleanShare", "freeze", "validationSteps", "validationLimit", "collapse");

  /** Rows of the method (not clean) per batch of {@code images}: all of them unless the method is clean. */
  int cleanRows(int images) {
    if (method == Method.CLEAN) {
      return images;
    }
    return (int) Math.round(images * cleanShare / (1 - cleanShare));
  }

  boolean freezesBatchNorm() {
    return freeze.stream().anyMatch(f -> f.equalsIgnoreCase("batchnorm"));
  }

  /** Parameter name prefixes whose weights stay as they are. */
  List<String> frozenPrefixes() {
    return freeze.stream().filter(f -> !f.equalsIgnoreCase("batchnorm")).toList();
  }

  /** The recipe as recorded in the job and the new version's metadata. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", method.id());
    m.put("eps", eps);
    m.put("stepSize", stepSize);
    m.put("steps", steps);
    m.put("epochs", epochs);
    m.put("batchSize", batchSize);
    m.put("learningRate", learningRate);
    m.put("optimizer", "adam");
    m.put("schedule", schedule);
    m.put("cleanShare", cleanShare);
    m.put("freeze", freeze);
    m.put("validationSteps", validationSteps);
    m.put("validationLimit", validationLimit);
    m.put("collapse", collapse);
    m.put("seed", seed);
    return m;
  }

  /**
   * Checks a request's {@code method} and {@code params} against {@code limits}; a 400 naming the
   * field for anything unknown or out of range.
   */
  static Recipe parse(String methodName, Map<String, Object> params, long seed, TrainingProperties limits) {
    Method method = methodName == null ? null : Method.of(methodName.strip());
    if (method == null) {
      throw ApiException.invalidField("method", "'method' must be one of " + Method.names() + "; got '" + methodName
          + "'.");
    }
    Map<String, Object> p = params == null ? Map.of() : params;
    for (String key : p.keySet()) {
      if (!KNOWN.contains(key)) {
        throw ApiException.invalidField("params." + key, "Unknown parameter '" + key + "'; fine-tunings take "
            + new java.util.TreeSet<>(KNOWN) + ".");
      }
    }
    double eps = number(p, "eps", DEFAULT_EPS, 1e-6, 1);
    double stepSize = number(p, "stepSize", method == Method.FGSM_RS ? 1.25 * eps : eps / 4, 1e-6, 1);
    int steps = method == Method.FGSM_RS ? 1 : integer(p, "steps", 7, 1, limits.maxSteps());
    if (method == Method.FGSM_RS && p.containsKey("steps") && integer(p, "steps", 1, 1, 1) != 1) {
      throw ApiException.invalidField("params.steps", "fgsm-rs takes one step; use 'pgd' for more.");
    }
    int epochs = integer(p, "epochs", 5, 1, limits.maxEpochs());
    int batchSize = integer(p, "batchSize", 64, 1, limits.maxBatchSize());
    double learningRate = number(p, "learningRate", 1e-4, 1e-8, 1);
    String schedule = p.containsKey("schedule") ? String.valueOf(p.get("schedule")) : "constant";
    if (!LearningRate.SCHEDULES.contains(schedule)) {
      throw ApiException.invalidField("params.schedule", "'params.schedule' must be one of " + LearningRate.SCHEDULES
          + "; got '" + schedule + "'.");
    }
    double cleanShare = method == Method.CLEAN ? 1
        : number(p, "cleanShare", method == Method.SEMANTIC ? 0.5 : 0, 0, 0.9);
    List<String> freeze = strings(p, "freeze");
    int validationSteps = integer(p, "validationSteps", 10, 1, limits.maxSteps());
    int validationLimit = integer(p, "validationLimit", 500, 1, limits.maxImages());
    double collapse = number(p, "collapse", 0.2, 0.01, 1);
    return new Recipe(method, eps, stepSize, steps, epochs, batchSize, learningRate, schedule, cleanShare, freeze,
        validationSteps, validationLimit, collapse, seed);
  }

  private static double number(Map<String, Object> p, String name, double fallback, double min, double max) {
    Object v = p.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw ApiException.invalidField("params." + name, "'params." + name + "' must be a number; got " + v + ".");
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      throw ApiException.invalidField("params." + name, "'params." + name + "' must be in [" + min + ", " + max
          + "]; got " + d + ".");
    }
    return d;
  }

  private static int integer(Map<String, Object> p, String name, int fallback, int min, int max) {
    Object v = p.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw ApiException.invalidField("params." + name, "'params." + name + "' must be a whole number in [" + min
          + ", " + max + "]; got " + v + ".");
    }
    return ((Number) v).intValue();
  }

  private static List<String> strings(Map<String, Object> p, String name) {
    Object v = p.get(name);
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof String s) || s.isBlank()) {
          throw ApiException.invalidField("params." + name, "'params." + name + "' lists names, e.g. [\"batchnorm\","
              + " \"c1\"]; got " + v + ".");
        }
        out.add(s.strip());
      }
      return List.copyOf(out);
    }
    throw ApiException.invalidField("params." + name, "'params." + name + "' lists names, e.g. [\"batchnorm\"]; got "
        + v + ".");
  }
}
