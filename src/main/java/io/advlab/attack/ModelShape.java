package io.advlab.attack;

import io.advlab.model.ClassifierModel;

/**
 * What an attack's parameter ranges depend on in a model: a {@code label} or {@code candidates}
 * cannot exceed its classes, an L2 budget cannot exceed the length of an all-ones input.
 *
 * @param classes number of model outputs
 * @param inputSize values per input image (3 x H x W)
 */
record ModelShape(int classes, int inputSize) {

  static ModelShape of(ClassifierModel model) {
    return new ModelShape(model.classes(), model.preprocessing().inputSize());
  }

  /** The largest possible L2 distance between two images in [0,1]. */
  double maxL2() {
    return Math.sqrt(inputSize);
  }
}
