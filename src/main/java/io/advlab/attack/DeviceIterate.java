package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.TorchThread;
import java.util.List;
import java.util.function.Function;

/**
 * An attack's state on the model's device, which a gradient pass evaluates and steps in place
 * ({@link GradientRow#iterate()}): the rows bring no image, their results no gradient, and only
 * logits (and, for DeepFool, one length per candidate) cross to the JVM per step. Sealed, since the
 * {@link GradientScheduler} takes each kind's step itself.
 *
 * <p>Threads: until a row hands it over ({@link #handOver}), only the attack's thread touches the
 * iterate; from then on only the {@link TorchThread} does, and the attack's thread reads and
 * releases it through that thread. {@link #release()} frees the device tensors and keeps the last
 * image on the host; a pass that still holds a released iterate (its attack was cut at its
 * deadline while the step was queued) evaluates that image and takes no step.
 */
abstract sealed class DeviceIterate permits LinfIterate, DeepFoolIterate {

  private volatile boolean handedOver;
  /** The iterate's own manager, made at its first pass; null until then. */
  private NDManager manager;
  /** The last image once released; null while the iterate is live. */
  private float[] released;
  /** The perturbation and the point the next pass evaluates, on the device; null before the first pass. */
  private NDArray perturbation;
  private NDArray point;

  /**
   * The point to evaluate next, of {@code shape} (C x H x W), on the device of {@code pass}; it
   * belongs to the iterate, which keeps it until its next step. On the torch thread.
   */
  abstract NDArray point(NDManager pass, Shape shape);

  /** The image while the state is still on the host (before its first pass). */
  abstract float[] hostImage();

  /** The point on the device, or null before the first pass. */
  final NDArray devicePoint() {
    return point;
  }

  /** The perturbation on the device, or null before the first pass. */
  final NDArray perturbation() {
    return perturbation;
  }

  /**
   * Takes a step's perturbation and point (or the first pass's) into the iterate's own manager,
   * closing the ones they replace: the iterate holds as many tensors after its last step as after
   * its first.
   */
  final void moveTo(NDArray perturbation, NDArray point) {
    if (this.perturbation != null) {
      this.perturbation.close();
      this.point.close();
    }
    this.perturbation = keep(perturbation);
    this.point = keep(point);
  }

  /** Called as a row takes the iterate to a pass: from now on only the torch thread touches it. */
  final void handOver() {
    handedOver = true;
  }

  final boolean handedOver() {
    return handedOver;
  }

  final boolean isReleased() {
    return released != null;
  }

  /** The released image as a tensor of {@code pass}, for a pass that still holds the iterate. */
  final NDArray releasedPoint(NDManager pass, Shape shape) {
    return pass.create(released, shape);
  }

  /** The iterate's own manager, made under the pass's parent at its first pass. */
  final NDManager manager(NDManager pass) {
    if (manager == null) {
      manager = pass.getParentManager().newSubManager();
    }
    return manager;
  }

  /** A manager for temporaries under the iterate's own (after its first pass). */
  final NDManager scratch() {
    return manager.newSubManager();
  }

  /** {@code array}, attached to the iterate's own manager. */
  private NDArray keep(NDArray array) {
    array.attach(manager);
    return array;
  }

  /** The iterate as the next pass would see it: the attack's image so far. */
  final float[] image() {
    if (!handedOver) {
      return released != null ? released : hostImage();
    }
    return TorchThread.get(this::current);
  }

  private float[] current() {
    if (released != null) {
      return released;
    }
    NDArray point = devicePoint();
    return point == null ? hostImage() : point.toFloatArray();
  }

  /** Frees the device tensors; the last image stays readable through {@link #image()}. */
  final void release() {
    if (!handedOver) {
      if (released == null) {
        released = hostImage();
      }
      return;
    }
    TorchThread.get(() -> {
      if (released == null) {
        released = current();
        if (manager != null) {
          manager.close();
        }
      }
      return null;
    });
  }

  /**
   * {@code parts} stacked along N, in {@code manager} (the pass's), so that no temporary of a step
   * lands in an iterate's own manager; a lone one is a view, not a copy.
   */
  static NDArray stack(List<NDArray> parts, NDManager manager) {
    NDArray out = parts.size() == 1 ? parts.get(0).expandDims(0) : NDArrays.stack(new NDList(parts));
    out.attach(manager);
    return out;
  }

  /** One tensor of each of {@code iterates}, stacked along N in {@code like}'s manager (the pass's). */
  static <T extends DeviceIterate> NDArray stacked(NDArray like, List<T> iterates, Function<T, NDArray> part) {
    return stack(iterates.stream().map(part).toList(), like.getManager());
  }
}
