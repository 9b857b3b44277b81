package io.advlab.attack;

import io.advlab.model.ClassifierModel;
import io.advlab.model.ImagePreprocessor;
import io.advlab.model.InferenceBatcher;
import io.advlab.model.UsedModel;

/**
 * The model one request attacks, with the pools that serve it: passed along per request, so that
 * planning, running and reporting an attack hold no model of their own and one service can attack
 * whichever model a request names.
 *
 * @param used the model version, as the response names it
 * @param model the network: its classes, labels, input size and gradient network
 * @param batcher the inference pool of {@code model}, which classifies the original and the result
 * @param scheduler the gradient scheduler of {@code model}, which batches the attack's steps
 */
record AttackTarget(UsedModel used, ClassifierModel model, InferenceBatcher batcher, GradientScheduler scheduler) {

  ModelShape shape() {
    return ModelShape.of(model);
  }

  /** Turns a decoded image into this model's input in pixel space. */
  ImagePreprocessor preprocessor() {
    return model.preprocessor();
  }
}
