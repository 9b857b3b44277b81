package io.advlab.training;

/**
 * One finished epoch: its training figures and the validation figures after it.
 *
 * @param epoch 1-based
 * @param loss mean training loss over the epoch's rows
 * @param trainingAccuracy accuracy on the epoch's training rows (as they were when trained on)
 * @param cleanAccuracy validation accuracy on clean images
 * @param robustAccuracy validation accuracy under the method's attack: PGD at eps (step eps/4,
 *     random start, {@code validationSteps} steps), or on negative images for {@code semantic}
 * @param seconds the epoch's training time, validation excluded
 */
record EpochFigures(int epoch, double loss, double trainingAccuracy, double cleanAccuracy, double robustAccuracy,
    double seconds) {}
