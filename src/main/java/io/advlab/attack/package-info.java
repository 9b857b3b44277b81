/**
 * Adversarial attacks: the {@code /api/v1/attacks} endpoint; one {@link io.advlab.attack.AttackMethod}
 * bean per method, collected into the per-model-shape catalogue; a request planned, run and reported
 * by {@code AttackPlanner}, {@code AttackRunner} and {@code AttackResults} against the model it
 * names ({@code AttackTarget}); one state machine per attack ({@link io.advlab.attack.Attack}); and
 * the {@link io.advlab.attack.GradientScheduler} that batches the gradient steps of concurrent
 * requests into one forward/backward pass.
 */
package io.advlab.attack;
