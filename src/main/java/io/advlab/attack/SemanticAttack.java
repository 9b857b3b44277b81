package io.advlab.attack;

/** The negative image 1 - x (Hosseini and Poovendran 2017), on the 8-bit grid. */
final class SemanticAttack {

  private SemanticAttack() {}

  static Attack create(AttackContext context) {
    float[] x = context.input();
    float[] negative = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      negative[i] = 1f - x[i];
    }
    return new ComputedAttack(Pixels.quantize(negative), -1);
  }
}
