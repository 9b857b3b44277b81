package io.advlab.attack;

import io.advlab.model.ClassifierModel;
import io.advlab.model.ImagePreprocessor;
import io.advlab.model.InferenceBatcher;

/**
 * The model one request attacks, with the pools that serve it: passed along per request, so that
 * planning, running and reporting an attack hold no model of their own and one service can attack
 * whichever model a request names.
 *
 * @param model the network: its classes, labels, input size and gradient network
 * @param batcher the inference pool of {@code model}, which classifies the original and the result
 * @param scheduler the gradient scheduler of {@code model}, which batches the attack's steps
 */
record AttackTarget(ClassifierModel model, InferenceBatcher batcher, GradientScheduler scheduler) {

  ModelShape shape() {
    return ModelShape.of(model);
  }

  /** Turns a decoded image into this model's input in pixel space. */
  ImagePreprocessor preprocessor() {
    return new ImagePreprocessor(model.preprocessing());
  }
}
