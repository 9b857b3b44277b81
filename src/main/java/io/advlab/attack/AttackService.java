package io.advlab.attack;

import io.advlab.model.Predictions;
import io.advlab.image.ImageInput;
import io.advlab.image.ImageLoader;
import io.advlab.model.ClassifierModel;
import io.advlab.model.InferenceBatcher;
import io.advlab.model.ModelRegistry;
import io.advlab.model.ServedModel;
import io.advlab.model.UsedModel;
import io.advlab.problem.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/**
 * Runs one attack request: checks method, target and parameters, decodes and preprocesses the
 * image, classifies it (in the attack's first gradient pass when that pass is at the clean image),
 * drives the attack's state machine through the {@link GradientScheduler} until it finishes or the
 * deadline passes, then classifies the result, encodes it as PNG and checks that the decoded PNG
 * still succeeds ({@code quantizedSuccess}).
 */
@Service
class AttackService {

  static final int TOP_K = 5;
  /** Tolerance of the L∞ check after decoding: half a gray level, for inputs off the 8-bit grid. */
  static final double GRID_TOLERANCE = 0.5 / 255;

  private final ImageLoader images;
  private final ModelRegistry models;
  private final AttackProperties properties;
  private final MeterRegistry registry;

  AttackService(ImageLoader images, ModelRegistry models, AttackProperties properties, MeterRegistry registry) {
    this.images = images;
    this.models = models;
    this.properties = properties;
    this.registry = registry;
  }

  /** The catalogue for the model {@code modelRef} names. */
  List<MethodSpec> catalogue(String modelRef) {
    try (ServedModel.Lease lease = models.acquire(modelRef)) {
      return AttackCatalogue.of(lease.served().model(), properties).methods();
    }
  }

  AttackResponse attack(String modelRef, ImageInput input, String method, Map<String, Object> rawParams,
      Integer target, Long deadlineMs) {
    try (ServedModel.Lease lease = models.acquire(modelRef)) {
      ServedModel served = lease.served();
      GradientScheduler scheduler = served.companion(GradientScheduler.class,
          s -> new GradientScheduler(s.model(), properties, registry, s.tags()));
      return new Request(served, scheduler).attack(input, method, rawParams, target, deadlineMs);
    }
  }

  /** One request against one model version. */
  private final class Request {
    private final ServedModel served;
    private final ClassifierModel model;
    private final InferenceBatcher batcher;
    private final GradientScheduler scheduler;
    private final AttackCatalogue catalogue;

    Request(ServedModel served, GradientScheduler scheduler) {
      this.served = served;
      this.model = served.model();
      this.batcher = served.batcher();
      this.scheduler = scheduler;
      this.catalogue = AttackCatalogue.of(model, properties);
    }

  AttackResponse attack(ImageInput input, String method, Map<String, Object> rawParams, Integer target,
      Long deadlineMs) {
    long start = System.nanoTime();
    long deadline = start + deadline(deadlineMs);
    MethodSpec spec = catalogue.method(method);
    checkTarget(spec, target);
    AttackParams params = new AttackParams(spec, rawParams);
    Integer label = spec.param("label") == null ? null : params.optionalInteger("label");
    if (label != null && target != null) {
      throw ApiException.invalidField("params.label", "'params.label' is the true class of an untargeted attack;"
          + " leave it out when a 'target' is given.");
    }
    Attacks.Prepared prepared = Attacks.prepare(spec, params);

    float[] x = model.preprocessor().toInput(input.load(images));
    long preprocessed = System.nanoTime();
    Run run = run(prepared, x, label, target, deadline);
    AttackContext context = run.context();
    Attack attack = run.attack();
    long attacked = System.nanoTime();

    float[] adversarial = attack.adversarial();
    float[] adversarialLogits = batcher.logits(adversarial);
    boolean success = context.succeeds(adversarialLogits);
    long reclassified = System.nanoTime();
    int width = model.preprocessing().width();
    int height = model.preprocessing().height();
    byte[] png = AttackImages.png(adversarial, width, height);
    float[] decoded = AttackImages.decode(png);
    float[] decodedLogits = Arrays.equals(decoded, adversarial) ? adversarialLogits : batcher.logits(decoded);
    double bound = attack.linfBound();
    boolean quantizedSuccess = context.succeeds(decodedLogits)
        && (bound < 0 || Pixels.linf(Pixels.sub(decoded, x)) <= bound + GRID_TOLERANCE);
    float[] delta = Pixels.sub(decoded, x);
    double l2 = Pixels.l2(delta);
    double xNorm = Pixels.l2(x);
    String perturbationImage = AttackImages.base64(AttackImages.png(AttackImages.visualize(delta), width, height));
    long end = System.nanoTime();

    String outcome = !run.completed() ? "incomplete" : success ? "success" : "failure";
    Counter.builder("advlab.attacks").description("Attacks run, by method and outcome")
        .tag("method", spec.name()).tag("outcome", outcome).register(registry).increment();
    Timer.builder("advlab.attack").description("Time of one attack request, image decoding included")
        .tag("method", spec.name()).register(registry).record(end - start, TimeUnit.NANOSECONDS);

    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("preprocess", millis(start, preprocessed));
    timings.put("original", millis(preprocessed, run.classified()));
    timings.put("attack", millis(run.classified(), attacked));
    timings.put("classify", millis(attacked, reclassified));
    timings.put("encode", millis(reclassified, end));
    timings.put("total", millis(start, end));
    return new AttackResponse(UsedModel.of(served), spec.name(), params.used(), target, success, run.completed(), attack.iterations(),
        new AttackResponse.Side(Predictions.topK(context.originalLogits(), model.labels(), TOP_K)),
        new AttackResponse.Side(Predictions.topK(adversarialLogits, model.labels(), TOP_K)),
        new AttackResponse.Perturbation(Pixels.l0(delta), l2, Pixels.linf(delta), xNorm == 0 ? 0 : l2 / xNorm),
        AttackImages.base64(png), perturbationImage, quantizedSuccess, timings);
  }

  /** A finished (or timed-out) attack, and when its original was classified ({@code nanoTime}). */
  private record Run(AttackContext context, Attack attack, boolean completed, long classified) {}

  /**
   * Classifies the original and runs the attack on it. FGSM and PGD without random start climb the
   * gradient at the clean input first: the pass that takes that step classifies the original too,
   * which saves a forward pass; the others classify it on the inference network.
   */
  private Run run(Attacks.Prepared prepared, float[] x, Integer label, Integer target, long deadline) {
    try (GradientScheduler.Session session = scheduler.open()) {
      GradientResult first = prepared.firstStepAtInput() ? firstStep(x, label, target, deadline) : null;
      float[] originalLogits = first != null ? first.logits() : batcher.logits(x);
      long classified = System.nanoTime();
      AttackContext context = new AttackContext(x, originalLogits,
          label != null ? label : Predictions.argmax(originalLogits), target, model.classes());
      Attack attack = prepared.factory().apply(context);
      if (first != null) {
        List<GradientRow> rows = attack.next();
        if (rows.size() != 1 || rows.get(0).input() != x || !rows.get(0).objective().equals(context.objective())) {
          throw new IllegalStateException("the attack does not start with one step at the clean input");
        }
        attack.accept(List.of(first));
      }
      return new Run(context, attack, drive(attack, deadline), classified);
    }
  }

  /**
   * The first step of an attack that starts at the clean input, with the objective it will use
   * ({@link AttackContext#objective()}), taken before the original's top-1 is known; null when the
   * deadline passes first.
   */
  private GradientResult firstStep(float[] x, Integer label, Integer target, long deadline) {
    List<GradientResult> results = step(List.of(new GradientRow(x, Objective.of(target, label))), deadline);
    return results == null ? null : results.get(0);
  }

  /**
   * Steps the attack through the scheduler until it is finished (true) or the deadline passes
   * (false). The caller holds a scheduler session, so batches wait for this attack's steps.
   */
  private boolean drive(Attack attack, long deadline) {
    while (true) {
      List<GradientRow> rows = attack.next();
      if (rows.isEmpty()) {
        return true;
      }
      List<GradientResult> results = step(rows, deadline);
      if (results == null) {
        return false;
      }
      attack.accept(results);
    }
  }

  /** Results of one scheduler step, or null (step dropped) when the deadline passes first. */
  private List<GradientResult> step(List<GradientRow> rows, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return null;
    }
    CompletableFuture<List<GradientResult>> step = scheduler.submit(rows);
    try {
      return step.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | CancellationException e) {
      step.cancel(false);
      return null;
    } catch (InterruptedException e) {
      step.cancel(false);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while attacking", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("gradient step failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private long deadline(Long deadlineMs) {
    if (deadlineMs == null) {
      return properties.deadline().toNanos();
    }
    if (deadlineMs < 1) {
      throw ApiException.invalidField("deadlineMs", "'deadlineMs' must be at least 1, got " + deadlineMs + ".");
    }
    return Math.min(TimeUnit.MILLISECONDS.toNanos(deadlineMs), properties.maxDeadline().toNanos());
  }

  private void checkTarget(MethodSpec spec, Integer target) {
    if (target == null) {
      if ("required".equals(spec.targeted())) {
        throw ApiException.invalidField("target", "Method '" + spec.name() + "' needs a 'target' class.");
      }
      return;
    }
    if ("never".equals(spec.targeted())) {
      throw ApiException.invalidField("target", "Method '" + spec.name() + "' is untargeted; leave out 'target'.");
    }
    if (target < 0 || target >= model.classes()) {
      throw ApiException.invalidField("target", "'target' must be a class index in [0, " + (model.classes() - 1)
          + "], got " + target + ".");
    }
  }

  }

  private static double millis(long from, long to) {
    return Math.round((to - from) / 10_000.0) / 100.0;
  }
}
