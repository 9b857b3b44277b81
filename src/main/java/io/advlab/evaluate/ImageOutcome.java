package io.advlab.evaluate;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one attack on one image gave, as a shard stores it (a compact JSON array per image).
 *
 * @param index the image's position in the evaluation's sample
 * @param label the true class (model label index)
 * @param original the model's top-1 on the clean image
 * @param adversarial its top-1 on the adversarial image (as delivered, on the 8-bit grid)
 * @param quantizedSuccess the attack's own verdict on the decoded PNG (see the attack API)
 * @param l2 L2 norm of the delivered perturbation, pixel units
 * @param linf its L∞ norm
 * @param iterations gradient steps taken
 * @param completed false when the attack hit its deadline
 */
record ImageOutcome(int index, int label, int original, int adversarial, boolean quantizedSuccess, double l2,
    double linf, int iterations, boolean completed) {

  /** Clean prediction right. */
  boolean cleanCorrect() {
    return original == label;
  }

  /** Prediction under attack right. */
  boolean robustCorrect() {
    return adversarial == label;
  }

  /** The attack turned a right prediction wrong. */
  boolean success() {
    return cleanCorrect() && !robustCorrect();
  }

  static String encode(List<ImageOutcome> outcomes, JsonMapper json) {
    List<Object[]> rows = new ArrayList<>();
    for (ImageOutcome o : outcomes) {
      rows.add(new Object[] {o.index, o.label, o.original, o.adversarial, o.quantizedSuccess ? 1 : 0, o.l2, o.linf,
          o.iterations, o.completed ? 1 : 0});
    }
    return json.writeValueAsString(rows);
  }

  static List<ImageOutcome> decode(String text, JsonMapper json) {
    List<ImageOutcome> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (JsonNode r : json.readTree(text)) {
      out.add(new ImageOutcome(r.get(0).asInt(), r.get(1).asInt(), r.get(2).asInt(), r.get(3).asInt(),
          r.get(4).asInt() == 1, r.get(5).asDouble(), r.get(6).asDouble(), r.get(7).asInt(), r.get(8).asInt() == 1));
    }
    return out;
  }
}
