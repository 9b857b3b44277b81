package io.advlab.attack;

import io.advlab.defence.Defence;
import io.advlab.defence.Draw;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Expectation over Transformation (Athalye et al. 2018) against the randomization defence: each
 * gradient step of an attack is taken at {@code k} fresh random draws, and its loss and logits are
 * the mean over them. {@link #decorate} gives a step's rows their draws (the same draws for every
 * row of one step, so DeepFool's margins compare like with like); {@link #expand} and
 * {@link #fold} turn rows into one network row per draw and back.
 */
final class Eot {

  /** Mixed into the defence's seed, so the attacker's draws are not the judging draws. */
  private static final long STREAM = 0x9E3779B97F4A7C15L;

  private final Defence defence;
  private final int draws;
  private final int height;
  private final int width;
  private final SplittableRandom random;

  Eot(Defence defence, int draws, int height, int width) {
    this.defence = defence;
    this.draws = draws;
    this.height = height;
    this.width = width;
    this.random = new SplittableRandom(defence.seed() ^ STREAM);
  }

  /** {@code rows} with {@code draws} fresh random draws each. */
  List<GradientRow> decorate(List<GradientRow> rows) {
    List<Draw> step = defence.draws(random, draws, height, width);
    return rows.stream().map(r -> r.withDraws(step)).toList();
  }

  /** One row per draw (rows without draws stay one row), in order. */
  static List<GradientRow> expand(List<GradientRow> rows) {
    List<GradientRow> out = new ArrayList<>();
    for (GradientRow row : rows) {
      if (row.draws().size() <= 1) {
        out.add(row);
      } else {
        for (Draw draw : row.draws()) {
          out.add(row.withDraws(List.of(draw)));
        }
      }
    }
    return out;
  }

  /**
   * Each row's result: the mean over its draws' results of {@link #expand}. A row on the device
   * has no gradient here: the pass stepped its iterate with the mean gradient.
   */
  static List<GradientResult> fold(List<GradientRow> rows, List<GradientResult> expanded) {
    List<GradientResult> out = new ArrayList<>(rows.size());
    int at = 0;
    for (GradientRow row : rows) {
      int k = Math.max(1, row.draws().size());
      out.add(k == 1 ? expanded.get(at) : meanResult(expanded.subList(at, at + k)));
      at += k;
    }
    return out;
  }

  private static GradientResult meanResult(List<GradientResult> results) {
    float[] logits = mean(results.stream().map(GradientResult::logits).toList());
    float[] gradient = results.get(0).gradient() == null ? null
        : mean(results.stream().map(GradientResult::gradient).toList());
    return new GradientResult(logits, gradient);
  }

  /**
   * The mean of {@code values}: summed in order in float, then times {@code 1f / size}. A DeepFool
   * iterate on the device averages its draws' logits here and their gradients in the same order
   * ({@link DeepFoolIterate}), so it sees the floats a host attack sees.
   */
  static float[] mean(List<float[]> values) {
    float[] sum = new float[values.get(0).length];
    for (float[] v : values) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    float scale = 1f / values.size();
    for (int i = 0; i < sum.length; i++) {
      sum[i] *= scale;
    }
    return sum;
  }
}
