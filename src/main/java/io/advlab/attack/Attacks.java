package io.advlab.attack;

import java.util.function.Function;

/** Maps a method name to its attack, reading and checking the parameters up front. */
final class Attacks {

  private Attacks() {}

  static Function<AttackContext, Attack> prepare(MethodSpec method, AttackParams params) {
    switch (method.name()) {
      case "noise":
        return NoiseAttack.prepare(params);
      case "semantic":
        return SemanticAttack::create;
      case "fgsm":
        return PgdAttack.fgsm(params);
      case "pgd":
        return PgdAttack.pgd(params);
      case "deepfool":
        return DeepFoolAttack.prepare(params);
      default:
        throw new IllegalStateException("no implementation for " + method.name());
    }
  }
}
