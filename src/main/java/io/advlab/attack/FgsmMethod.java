package io.advlab.attack;

import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * FGSM (linf) / FGM (l2): PGD's one-step special case, one step of size eps from the clean image
 * without early stop. Its step is at the clean input, so the pass that takes it classifies the
 * original too.
 */
@Component
@Order(3)
final class FgsmMethod implements AttackMethod {

  @Override
  public MethodSpec spec(ModelShape shape) {
    return new MethodSpec("fgsm", "Fast gradient sign method",
        "One gradient step of size eps (Goodfellow et al. 2015): the gradient's sign for norm linf,"
            + " the L2-normalized gradient (FGM) for norm l2. Untargeted raises the loss of the original"
            + " class; with a target (T-FGSM) it lowers the target's loss.",
        MethodSpec.Targeted.OPTIONAL, true, List.of(CommonParams.eps(shape), CommonParams.norm(),
            CommonParams.label(shape)));
  }

  @Override
  public Prepared prepare(AttackParams params) {
    Norm norm = Norm.of(params.choice("norm"));
    double eps = params.budget("eps", norm, CommonParams.DEFAULT_EPS);
    PgdAttack.Config config = new PgdAttack.Config(eps, eps, 1, false, norm, false, 0);
    return new Prepared(context -> new PgdAttack(context, config), true);
  }
}
