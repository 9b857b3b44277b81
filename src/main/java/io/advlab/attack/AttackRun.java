package io.advlab.attack;

/**
 * A finished or timed-out attack.
 *
 * @param context the original image, its logits and the classes the attack moves from or to
 * @param attack the state machine, holding the best adversarial image so far
 * @param completed false when the deadline cut it short
 * @param classified when the original was classified ({@code System.nanoTime()})
 * @param attacked when the attack ended ({@code System.nanoTime()})
 * @param adversarial the result ({@link Attack#adversarial()}) as it was judged, or null where its
 *     caller did not ask for that (a benchmark of the attack alone)
 * @param adversarialLogits the result's logits through the image's defence, or null with it
 * @param judged when the result was judged ({@code attacked} when it was not)
 */
record AttackRun(AttackContext context, Attack attack, boolean completed, long classified, long attacked,
    float[] adversarial, float[] adversarialLogits, long judged) {}
