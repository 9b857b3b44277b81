package io.advlab.attack;

import io.advlab.defence.DefendedInference;
import io.advlab.image.ImageInput;
import java.util.Base64;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.springframework.stereotype.Component;

/**
 * The attack API for other packages (robustness evaluations): the same planning, scheduling and
 * results as {@code POST /api/v1/attacks}, so an evaluation's figures are exactly what single
 * requests would give, and its gradient steps share the batched passes of interactive attacks.
 */
@Component
public class AttackEngine {

  private final AttackTargets targets;
  private final AttackPlanner planner;
  private final AttackService service;

  AttackEngine(AttackTargets targets, AttackPlanner planner, AttackService service) {
    this.targets = targets;
    this.planner = planner;
    this.service = service;
  }

  /**
   * Checks a method and its parameters (with the defence the attack would face, or null) against
   * the model {@code modelRef} names, before any image is read: a 400 problem naming
   * {@code params.<name>}, {@code method} or {@code defence.<name>} when they do not fit.
   */
  public void check(String modelRef, String method, Map<String, Object> params, Map<String, Object> defence) {
    targets.with(modelRef, target -> {
      AttackPlan plan = planner.plan(target.shape(), method, params, null, null);
      return Defended.of(DefendedInference.parse(defence, target.model()), plan.eot());
    });
  }

  /** Whether {@code method} takes the parameter {@code name} (e.g. {@code eps}, {@code label}). */
  public boolean takes(String modelRef, String method, String name) {
    return targets.with(modelRef,
        target -> planner.plan(target.shape(), method, Map.of(), null, null).spec().param(name) != null);
  }

  /**
   * Attacks one encoded image on the model {@code modelRef} names, through {@code defence} when
   * given (a request's {@code defence} object); as the HTTP API answers. Its gradient steps run in
   * the background: they share batches with interactive attacks but never hold them back.
   */
  public AttackResponse attack(String modelRef, byte[] image, String method, Map<String, Object> params,
      Long deadlineMs, Map<String, Object> defence) {
    ImageInput input = new ImageInput(null, null, Base64.getEncoder().encodeToString(image));
    return targets.with(modelRef, target -> service.attack(target, input, method, params, null, deadlineMs,
        defence, true));
  }

  /**
   * Attacks {@code count} encoded images on the model {@code modelRef} names, up to {@code lanes}
   * at once, while the calling thread waits: the steps of all running attacks, this caller's and
   * those of other callers on the same model version, go to the gradient scheduler as one
   * submission, so they share its passes (in the background, as {@link #attack} does), and
   * each result is what {@link #attack} would answer for that image. Images are read only when a
   * lane takes them; {@code done} gets each image's index and response as its attack ends.
   * {@code image}, {@code params}, {@code stop} and {@code done} are called on the lanes' thread.
   *
   * @param params the parameters of image {@code i}
   * @param stop asked before every step: true stops the work
   * @return false when {@code stop} stopped it
   */
  public boolean attackEach(String modelRef, int count, IntFunction<byte[]> image, String method,
      IntFunction<Map<String, Object>> params, Map<String, Object> defence, int lanes, BooleanSupplier stop,
      BiConsumer<Integer, AttackResponse> done) {
    return attackEach(modelRef, count, image, method, params, defence, lanes, stop, (i, figures) -> true, done);
  }

  /**
   * As above, but image {@code i}'s response carries its two PNGs ({@code adversarialImage},
   * {@code perturbationImage}) only when {@code images} says so, given {@code i} and the response as
   * it is without them; the other responses have none. Encoding them is the most expensive part of
   * a response, and a caller that keeps few of them (an evaluation keeps a shard's worst case)
   * should not pay for all.
   */
  public boolean attackEach(String modelRef, int count, IntFunction<byte[]> image, String method,
      IntFunction<Map<String, Object>> params, Map<String, Object> defence, int lanes, BooleanSupplier stop,
      BiPredicate<Integer, AttackResponse> images, BiConsumer<Integer, AttackResponse> done) {
    return targets.with(modelRef, target -> service.attackEach(target, count,
        i -> new ImageInput(null, null, Base64.getEncoder().encodeToString(image.apply(i))), method, params, defence,
        lanes, stop, images, done));
  }
}
