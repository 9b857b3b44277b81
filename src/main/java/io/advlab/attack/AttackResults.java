package io.advlab.attack;

import io.advlab.model.ClassifierModel;
import io.advlab.model.Predictions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Turns a finished attack, whose result its lane has already classified ({@link AttackRunner}),
 * into its {@link AttackResponse}: encodes the result as an 8-bit PNG, checks that the decoded PNG
 * still succeeds ({@code quantizedSuccess}: what the client receives, not the float image, is what
 * counts), measures the perturbation of that PNG, and counts and times the request. An evaluation
 * asks for the PNGs of the images it keeps only.
 */
@Component
class AttackResults {

  static final int TOP_K = 5;
  /** Tolerance of the L∞ check after decoding: half a gray level, for inputs off the 8-bit grid. */
  static final double GRID_TOLERANCE = 0.5 / 255;
  /**
   * Relative tolerance of the L2 check after decoding: float arithmetic only, since the rounding
   * itself stays inside the L2 ball ({@link Pixels#toL2Grid}).
   */
  static final double L2_TOLERANCE = 1e-6;

  private final MeterRegistry registry;

  AttackResults(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The response to {@code image}'s request, whose attack ended as {@code run}. */
  AttackResponse respond(AttackTarget target, AttackRunner.Image image, AttackRun run) {
    return respondAll(target, List.of(new AttackRunner.Ended(image, run))).get(0);
  }

  /** {@link #respond} for several attacks; their runs hold their judged results ({@link AttackRun#adversarialLogits}). */
  List<AttackResponse> respondAll(AttackTarget target, List<AttackRunner.Ended> ended) {
    return respondAll(target, ended, (image, figures) -> true);
  }

  /**
   * As above, with the two PNGs only in the responses {@code images} asks for, given the image and
   * its response without them (the figures are the same either way). Why: an evaluation keeps the
   * images of one attack per shard, and encoding two PNGs for every image took a fifth of its lane
   * driver's CPU (zlib's deflate the largest part), time the gradient passes waited for.
   */
  List<AttackResponse> respondAll(AttackTarget target, List<AttackRunner.Ended> ended,
      BiPredicate<AttackRunner.Image, AttackResponse> images) {
    List<AttackResponse> out = new ArrayList<>(ended.size());
    for (AttackRunner.Ended e : ended) {
      AttackRunner.Image image = e.image();
      AttackRun run = e.run();
      if (run.adversarialLogits() == null) {
        throw new IllegalStateException("the attack's result was not judged");
      }
      out.add(respond(target, image.plan(), image.defended(), run, image.start(), image.preprocessed(),
          run.adversarial(), run.adversarialLogits(), run.judged(), figures -> images.test(image, figures)));
    }
    return out;
  }

  /**
   * @param start when the request arrived ({@code System.nanoTime()})
   * @param preprocessed when its image was decoded and preprocessed
   * @param defended the defence the result is judged through (success, predictions, quantizedSuccess)
   * @param adversarial the attack's result ({@link Attack#adversarial()}), judged as {@code adversarialLogits}
   * @param images whether the response, as it would be without them, gets its two PNGs
   */
  private AttackResponse respond(AttackTarget target, AttackPlan plan, Defended defended, AttackRun run, long start,
      long preprocessed, float[] adversarial, float[] adversarialLogits, long reclassified,
      Predicate<AttackResponse> images) {
    ClassifierModel model = target.model();
    AttackContext context = run.context();
    Attack attack = run.attack();
    float[] x = context.input();

    boolean success = context.succeeds(adversarialLogits);
    int width = model.preprocessing().width();
    int height = model.preprocessing().height();
    // What the PNG holds: png() stores each value's nearest gray level, and any decoder gives back
    // exactly those (AttackImagesTests decodes it with ImageIO). Decoding it here took 2.4 ms of a
    // 224x224 request.
    float[] stored = Pixels.quantize(adversarial);
    float[] storedLogits = Arrays.equals(stored, adversarial) ? adversarialLogits : defended.judge(target, stored);
    float[] delta = Pixels.sub(stored, x);
    boolean quantizedSuccess = context.succeeds(storedLogits) && withinBudget(attack, delta);
    double l2 = Pixels.l2(delta);
    double xNorm = Pixels.l2(x);
    AttackResponse figures = new AttackResponse(target.used(), plan.spec().name(), plan.params().used(),
        plan.targetClass(), success, run.completed(), attack.iterations(),
        new AttackResponse.Side(Predictions.topK(context.originalLogits(), model.labels(), TOP_K)),
        new AttackResponse.Side(Predictions.topK(adversarialLogits, model.labels(), TOP_K)),
        new AttackResponse.Perturbation(Pixels.l0(delta), l2, Pixels.linf(delta), xNorm == 0 ? 0 : l2 / xNorm),
        null, null, quantizedSuccess, defended.defence(), Map.of());
    String adversarialImage = null;
    String perturbationImage = null;
    if (images.test(figures)) {
      adversarialImage = AttackImages.base64(AttackImages.png(adversarial, width, height));
      perturbationImage = AttackImages.base64(AttackImages.png(AttackImages.visualize(delta), width, height));
    }
    long end = System.nanoTime();

    count(plan.spec().name(), !run.completed() ? "incomplete" : success ? "success" : "failure", end - start);
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("preprocess", millis(start, preprocessed));
    timings.put("original", millis(preprocessed, run.classified()));
    timings.put("attack", millis(run.classified(), run.attacked()));
    timings.put("classify", millis(run.attacked(), reclassified));
    timings.put("encode", millis(reclassified, end));
    timings.put("total", millis(start, end));
    return new AttackResponse(figures.model(), figures.method(), figures.params(), figures.target(), success,
        figures.completed(), figures.iterations(), figures.original(), figures.adversarial(), figures.perturbation(),
        adversarialImage, perturbationImage, quantizedSuccess, figures.defence(), timings);
  }

  /** Whether the decoded image's δ respects the attack's L∞ and L2 bounds. */
  private static boolean withinBudget(Attack attack, float[] delta) {
    double linf = attack.linfBound();
    double l2 = attack.l2Bound();
    return (linf < 0 || Pixels.linf(delta) <= linf + GRID_TOLERANCE)
        && (l2 < 0 || Pixels.l2(delta) <= l2 * (1 + L2_TOLERANCE));
  }

  private void count(String method, String outcome, long nanos) {
    Counter.builder("advlab.attacks").description("Attacks run, by method and outcome")
        .tag("method", method).tag("outcome", outcome).register(registry).increment();
    Timer.builder("advlab.attack").description("Time of one attack request, image decoding included")
        .tag("method", method).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  private static double millis(long from, long to) {
    return Math.round((to - from) / 10_000.0) / 100.0;
  }
}
