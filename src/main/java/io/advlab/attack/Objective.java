package io.advlab.attack;

/**
 * The scalar one batch row contributes to the summed loss whose input gradient the scheduler
 * returns: {@code ceSign * CE(logits, ceClass) + logit[plusClass] - logit[minusClass]} (terms with
 * a class of -1 are absent; a {@code ceClass} of {@link #OWN_TOP1} stands for the row's own top-1,
 * read from the same forward pass). Because the batch loss is a sum of per-row terms and the
 * network runs in eval mode, each row's gradient is independent of the other rows.
 */
record Objective(int ceClass, float ceSign, int plusClass, int minusClass) {

  /** {@code ceClass} meaning "the class the row's own logits rank first". */
  static final int OWN_TOP1 = -2;

  /**
   * The loss gradient attacks climb: minus the target's cross-entropy when there is a target, else
   * the cross-entropy of {@code label}, or of the input's own top-1 when the label is not known yet.
   */
  static Objective of(Integer target, Integer label) {
    return target != null ? lowerLoss(target) : label != null ? raiseLoss(label) : raiseLossOfTop1();
  }

  /** Gradient ascent on the cross-entropy of {@code label} (untargeted attacks). */
  static Objective raiseLoss(int label) {
    return new Objective(label, 1f, -1, -1);
  }

  /**
   * Gradient ascent on the cross-entropy of whatever class the model ranks first for this very
   * input: the untargeted step at the clean image, taken before its top-1 is known.
   */
  static Objective raiseLossOfTop1() {
    return new Objective(OWN_TOP1, 1f, -1, -1);
  }

  /** Gradient ascent on minus the cross-entropy of {@code target} (targeted attacks). */
  static Objective lowerLoss(int target) {
    return new Objective(target, -1f, -1, -1);
  }

  /** {@code logit[k] - logit[original]} (DeepFool's linearized boundary). */
  static Objective margin(int k, int original) {
    return new Objective(-1, 0f, k, original);
  }
}
