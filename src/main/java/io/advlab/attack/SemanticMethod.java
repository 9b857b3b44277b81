package io.advlab.attack;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The negative image 1 - x (Hosseini and Poovendran 2017), on the 8-bit grid. */
@Component
@Order(2)
final class SemanticMethod implements AttackMethod {

  @Override
  public MethodSpec spec(ModelShape shape) {
    return new MethodSpec("semantic", "Negative image",
        "The negative image 1 - x in pixel space (Hosseini and Poovendran 2017). No parameters.",
        MethodSpec.Targeted.NEVER, false, List.of());
  }

  @Override
  public Prepared prepare(AttackParams params) {
    return Prepared.of(context -> new ComputedAttack(negative(context.input()), -1));
  }

  static float[] negative(float[] x) {
    float[] negative = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      negative[i] = 1f - x[i];
    }
    return Pixels.quantize(negative);
  }
}
