/**
 * Adversarial attacks: the {@code /api/v1/attacks} endpoint, the attack catalogue and parameter
 * validation, one state machine per attack ({@link io.advlab.attack.Attack}), and the
 * {@link io.advlab.attack.GradientScheduler} that batches the gradient steps of concurrent
 * requests into one forward/backward pass.
 */
package io.advlab.attack;
