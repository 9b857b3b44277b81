package io.advlab.attack;

import io.advlab.model.Predictions;

/**
 * What every attack starts from.
 *
 * @param input the preprocessed image in pixel space (CHW floats in [0,1])
 * @param originalLogits the model's logits for {@code input}
 * @param sourceLabel the class an untargeted attack must move away from: the request's
 *     {@code label} parameter when given, else the model's original top-1
 * @param target the class a targeted attack aims for, or null (untargeted)
 * @param classes number of model outputs
 * @param stateOnDevice whether an L∞ PGD/FGSM or a DeepFool attack keeps its state on the model's
 *     device between steps ({@link LinfIterate}, {@link DeepFoolIterate};
 *     {@link AttackProperties.StateOnDevice} says when)
 */
record AttackContext(float[] input, float[] originalLogits, int sourceLabel, Integer target, int classes,
    boolean stateOnDevice) {

  boolean targeted() {
    return target != null;
  }

  /** The loss gradient attacks climb: minus the target's cross-entropy, or the source label's. */
  Objective objective() {
    return Objective.of(target, sourceLabel);
  }

  /** Whether logits count as a success: the target is top-1, or the top-1 left the original class. */
  boolean succeeds(float[] logits) {
    int top = Predictions.argmax(logits);
    return targeted() ? top == target : top != sourceLabel;
  }

}
