package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * An attack's state on the model's device, which a gradient pass evaluates and steps in place
 * ({@link GradientRow#iterate()}): the rows bring no image, their results no gradient, and only
 * logits (and, for DeepFool, one length per candidate) cross to the JVM per step. Sealed, since the
 * {@link GradientScheduler} takes each kind's step itself.
 */
sealed interface DeviceIterate permits LinfIterate, DeepFoolIterate {

  /**
   * The point to evaluate next, of {@code shape} (C x H x W), on the device of {@code pass}; it
   * belongs to the iterate, which keeps it until its next step. On the torch thread.
   */
  NDArray point(NDManager pass, Shape shape);

  /**
   * {@code parts} stacked along N, in {@code manager} (the pass's), so that no temporary of a step
   * lands in an iterate's own manager; a lone one is a view, not a copy.
   */
  static NDArray stack(List<NDArray> parts, NDManager manager) {
    NDArray out = parts.size() == 1 ? parts.get(0).expandDims(0) : NDArrays.stack(new NDList(parts));
    out.attach(manager);
    return out;
  }
}
