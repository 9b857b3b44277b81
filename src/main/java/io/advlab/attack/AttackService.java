package io.advlab.attack;

import io.advlab.defence.DefendedInference;
import io.advlab.image.ImageInput;
import io.advlab.image.ImageLoader;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.springframework.stereotype.Service;

/**
 * Runs one attack request on the model it names: plans it ({@link AttackPlanner}, before any image
 * is fetched), decodes and preprocesses the image for that model, runs it ({@link AttackRunner})
 * and reports it ({@link AttackResults}). The model and its pools come with each request, so one
 * service serves every model.
 */
@Service
class AttackService {

  private final ImageLoader images;
  private final AttackPlanner planner;
  private final AttackRunner runner;
  private final AttackResults results;

  AttackService(ImageLoader images, AttackPlanner planner, AttackRunner runner, AttackResults results) {
    this.images = images;
    this.planner = planner;
    this.runner = runner;
    this.results = results;
  }

  /**
   * @param target the model attacked, with its inference pool and gradient scheduler
   * @param method the method's name in the catalogue
   * @param params the method's parameters as sent; absent ones take their defaults
   * @param targetClass the class a targeted attack aims for, or null (untargeted)
   * @param deadlineMs how long the attack may run, or null for the configured default
   * @param defence the request's {@code defence} object, or null: the attack faces the undefended model
   */
  AttackResponse attack(AttackTarget target, ImageInput input, String method, Map<String, Object> params,
      Integer targetClass, Long deadlineMs, Map<String, Object> defence) {
    return attack(target, input, method, params, targetClass, deadlineMs, defence, false);
  }

  /** As above; a {@code background} attack (an evaluation's image) gives way to interactive ones. */
  AttackResponse attack(AttackTarget target, ImageInput input, String method, Map<String, Object> params,
      Integer targetClass, Long deadlineMs, Map<String, Object> defence, boolean background) {
    AttackRunner.Image image = prepare(target, input, method, params, targetClass, deadlineMs, defence);
    return results.respond(target, image, runner.run(target, image, background));
  }

  /**
   * Plans the attack (a 400 before the image is read when the request does not fit), then reads,
   * decodes and preprocesses the image for the model; its clock starts here.
   */
  private AttackRunner.Image prepare(AttackTarget target, ImageInput input, String method, Map<String, Object> params,
      Integer targetClass, Long deadlineMs, Map<String, Object> defence) {
    long start = System.nanoTime();
    AttackPlan plan = planner.plan(target.shape(), method, params, targetClass, deadlineMs);
    Defended defended = Defended.of(DefendedInference.parse(defence, target.model()), plan.eot());
    float[] x = target.preprocessor().toInput(input.load(images));
    return new AttackRunner.Image(plan, defended, x, start, System.nanoTime());
  }

  /**
   * Attacks {@code count} images with one method in the model version's shared background lanes
   * ({@link AttackRunner#runShared}, up to {@code lanes} at once); each image is read, planned and
   * decoded only when a lane takes it, on the lanes' thread, which also calls {@code done}.
   * {@code done} gets each image's index and response as its attack ends.
   *
   * @param params the parameters of image {@code i} (they may differ in {@code label} and {@code seed})
   * @param stop asked before every step; true stops the work
   * @param images whether image {@code i}'s response, given as it is without them, gets its two PNGs
   * @return false when {@code stop} stopped it
   */
  boolean attackEach(AttackTarget target, int count, IntFunction<ImageInput> input, String method,
      IntFunction<Map<String, Object>> params, Map<String, Object> defence, int lanes, BooleanSupplier stop,
      BiPredicate<Integer, AttackResponse> images, BiConsumer<Integer, AttackResponse> done) {
    Map<AttackRunner.Image, Integer> indices = new IdentityHashMap<>();
    Iterator<AttackRunner.Image> pending = new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public AttackRunner.Image next() {
        AttackRunner.Image image = prepare(target, input.apply(next), method, params.apply(next), null, null,
            defence);
        indices.put(image, next++);
        return image;
      }
    };
    return runner.runShared(target, lanes, pending, ended -> {
      List<AttackResponse> responses = results.respondAll(target, ended,
          (image, figures) -> images.test(indices.get(image), figures));
      for (int i = 0; i < ended.size(); i++) {
        done.accept(indices.remove(ended.get(i).image()), responses.get(i));
      }
    }, stop);
  }
}
