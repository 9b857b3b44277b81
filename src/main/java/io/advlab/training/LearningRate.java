package io.advlab.training;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate over the optimizer's updates: {@code constant}; {@code step} (divided by 10 at
 * half and again at three quarters of the updates); {@code cyclic}, the one triangle Wong et al.
 * use for fast adversarial training (linear from 0 up to the rate at half of the updates, then
 * back down to 0 at the end).
 *
 * @param start the first update of this run (0, or the updates of the epochs already done when a
 *     job resumes), so a resumed schedule goes on where it stopped
 */
record LearningRate(String schedule, double rate, int totalUpdates, int start) implements Tracker {

  static final java.util.List<String> SCHEDULES = java.util.List.of("constant", "step", "cyclic");

  @Override
  public float getNewValue(int numUpdate) {
    return (float) at(start + numUpdate);
  }

  /** The rate at update {@code update} (0-based) of the whole run. */
  double at(int update) {
    double progress = totalUpdates <= 0 ? 0 : Math.min(1.0, (double) update / totalUpdates);
    return switch (schedule) {
      case "step" -> progress < 0.5 ? rate : progress < 0.75 ? rate / 10 : rate / 100;
      case "cyclic" -> progress < 0.5 ? rate * progress * 2 : rate * (1 - progress) * 2;
      default -> rate;
    };
  }
}
