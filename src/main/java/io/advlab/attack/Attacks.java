package io.advlab.attack;

import java.util.function.Function;

/** Maps a method name to its attack, reading and checking the parameters up front. */
final class Attacks {

  private Attacks() {}

  /**
   * An attack whose parameters are checked, waiting for its image.
   *
   * @param factory starts the attack once the image and its original prediction are known
   * @param firstStepAtInput whether the attack's first step is one row at the clean input with
   *     {@link AttackContext#objective()}: then the pass that classifies the original can take that
   *     step too (see {@link AttackService})
   */
  record Prepared(Function<AttackContext, Attack> factory, boolean firstStepAtInput) {}

  static Prepared prepare(MethodSpec method, AttackParams params) {
    switch (method.name()) {
      case "noise":
        return new Prepared(NoiseAttack.prepare(params), false);
      case "semantic":
        return new Prepared(SemanticAttack::create, false);
      case "fgsm":
        return PgdAttack.fgsm(params);
      case "pgd":
        return PgdAttack.pgd(params);
      case "deepfool":
        return new Prepared(DeepFoolAttack.prepare(params), false);
      default:
        throw new IllegalStateException("no implementation for " + method.name());
    }
  }
}
