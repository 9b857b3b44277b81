package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
}
