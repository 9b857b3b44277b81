package io.advlab.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.advlab.attack.AttackMethodNames;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of one cell (an attack at one eps) over the images done so far.
 *
 * @param method the attack
 * @param eps the budget (null for methods without one)
 * @param images images done
 * @param total images the cell will have
 * @param cleanAccuracy share of images the model gets right unattacked
 * @param robustAccuracy share it still gets right under the attack
 * @param successRate share of the rightly classified images the attack turned wrong
 * @param quantizedSuccessRate share of those successes that still succeed as the delivered 8-bit PNG
 * @param medianL2 median L2 norm of the successful perturbations (pixel units)
 * @param meanL2 their mean L2 norm
 * @param medianLinf median L∞ norm of the successful perturbations
 * @param meanLinf their mean L∞ norm
 * @param medianIterations median gradient steps per image
 * @param seconds attack time summed over the cell's shards
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "EvaluationResult", description = "One cell: an attack at one eps", requiredProperties = "method")
public record CellFigures(@Schema(ref = AttackMethodNames.REF) String method, Double eps, int images, int total, Double cleanAccuracy,
    Double robustAccuracy, Double successRate, Double quantizedSuccessRate, Double medianL2, Double meanL2,
    Double medianLinf, Double meanLinf, Double medianIterations, double seconds) {

  static CellFigures of(String method, Double eps, int total, List<ImageOutcome> outcomes, double seconds) {
    int n = outcomes.size();
    if (n == 0) {
      return new CellFigures(method, eps, 0, total, null, null, null, null, null, null, null, null, null, seconds);
    }
    long clean = outcomes.stream().filter(ImageOutcome::cleanCorrect).count();
    long robust = outcomes.stream().filter(ImageOutcome::robustCorrect).count();
    List<ImageOutcome> successes = outcomes.stream().filter(ImageOutcome::success).toList();
    long quantized = successes.stream().filter(ImageOutcome::quantizedSuccess).count();
    double[] l2 = successes.stream().mapToDouble(ImageOutcome::l2).toArray();
    double[] linf = successes.stream().mapToDouble(ImageOutcome::linf).toArray();
    double[] iterations = outcomes.stream().mapToDouble(ImageOutcome::iterations).toArray();
    return new CellFigures(method, eps, n, total, round((double) clean / n), round((double) robust / n),
        clean == 0 ? null : round((double) successes.size() / clean),
        successes.isEmpty() ? null : round((double) quantized / successes.size()),
        median(l2), mean(l2), median(linf), mean(linf), median(iterations), Math.round(seconds * 10) / 10.0);
  }

  static Double median(double[] values) {
    if (values.length == 0) {
      return null;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    double m = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return round(m);
  }

  static Double mean(double[] values) {
    return values.length == 0 ? null : round(Arrays.stream(values).average().orElse(0));
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
