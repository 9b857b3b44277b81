package io.advlab.attack;

import io.advlab.defence.DefendedInference;
import io.advlab.defence.Defence;
import io.advlab.model.Preprocessing;
import io.advlab.problem.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The defence an attack faces, if any: the original and the result are judged through it, and with
 * {@code eot} above 0 the gradient steps are taken through {@code eot} of its random draws each.
 * Without EOT the attack climbs the undefended network's gradient (the "vanilla" transfer attack).
 *
 * @param defence the defence, or null (the undefended model)
 * @param eot draws per gradient step; 0 for the undefended network's gradient
 */
record Defended(Defence defence, int eot) {

  static final Defended NONE = new Defended(null, 0);

  /** 400 naming {@code params.eot} when EOT is asked for without a defence. */
  static Defended of(Defence defence, int eot) {
    if (defence == null && eot > 0) {
      throw ApiException.invalidField("params.eot", "'params.eot' is " + eot + ", but there is no 'defence' to"
          + " take draws from; add \"defence\": {\"type\": \"randomization\"} or leave eot out.");
    }
    return defence == null ? NONE : new Defended(defence, eot);
  }

  /** Logits of {@code x} as the defended model sees it (log of the averaged softmax), or plain logits. */
  float[] judge(AttackTarget target, float[] x) {
    if (defence == null) {
      return target.batcher().logits(x);
    }
    return DefendedInference.logits(target.batcher(), target.model().preprocessing(), defence, x);
  }

  /**
   * {@link #judge} of several images, each through its own defence; the undefended ones are queued
   * as jobs of {@code max-batch-size} images ({@link io.advlab.model.InferenceBatcher#logitsTogether}),
   * so they fill whole passes: queued one image per job, the pool's worker woke at the first and
   * took what had come by then (an evaluation's 2000 classifications ran in 373 passes of 5.4
   * images, 4 ms each).
   */
  static List<float[]> judgeAll(AttackTarget target, List<Defended> defences, List<float[]> xs) {
    float[][] out = new float[xs.size()][];
    List<Integer> plain = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      if (defences.get(i).defence() == null) {
        plain.add(i);
      } else {
        out[i] = defences.get(i).judge(target, xs.get(i));
      }
    }
    if (!plain.isEmpty()) {
      List<float[]> logits = target.batcher().logitsTogether(plain.stream().map(xs::get).toList());
      for (int k = 0; k < plain.size(); k++) {
        out[plain.get(k)] = logits.get(k);
      }
    }
    return Arrays.asList(out);
  }

  /** The EOT draws of one attack, or null when its gradient steps see the network as it is. */
  Eot newEot(Preprocessing preprocessing) {
    return eot == 0 ? null : new Eot(defence, eot, preprocessing.height(), preprocessing.width());
  }
}
