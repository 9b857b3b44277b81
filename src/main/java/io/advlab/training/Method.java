package io.advlab.training;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the training rows of a batch are made from its images.
 *
 * <ul>
 *   <li>{@code pgd}: PGD-k from a random start inside the L∞ eps-ball (Madry et al. 2018);
 *   <li>{@code fgsm-rs}: one signed-gradient step of 1.25·eps from a random start, "fast adversarial
 *       training" (Wong et al. 2020), i.e. PGD-1 with that step;
 *   <li>{@code semantic}: the negative image 1 - x (Hosseini and Poovendran 2017);
 *   <li>{@code clean}: the images themselves (plain fine-tuning, a baseline).
 * </ul>
 */
enum Method {
  PGD("pgd"), FGSM_RS("fgsm-rs"), SEMANTIC("semantic"), CLEAN("clean");

  private final String id;

  Method(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }

  /** Whether the method crafts its rows with input gradients (and so needs eps). */
  boolean gradientBased() {
    return this == PGD || this == FGSM_RS;
  }

  static Method of(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElse(null);
  }

  static String names() {
    return Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", "));
  }
}
