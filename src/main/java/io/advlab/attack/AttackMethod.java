package io.advlab.attack;

import java.util.function.Function;

/**
 * One attack method as a plug-in: a Spring bean that describes itself to the
 * {@link AttackCatalogue} and turns checked parameters into an attack. The catalogue lists the
 * beans in their {@link org.springframework.core.annotation.Order}, so adding a method is adding
 * one class.
 */
interface AttackMethod {

  /** The method as {@code GET /api/v1/attacks} describes it for a model of this shape. */
  MethodSpec spec(ModelShape shape);

  /**
   * Reads and checks the parameters now, so a bad request fails before the image is fetched; the
   * attack starts once the image and its original prediction are known.
   */
  Prepared prepare(AttackParams params);

  /**
   * An attack whose parameters are checked, waiting for its image.
   *
   * @param factory starts the attack once the image and its original prediction are known
   * @param firstStepAtInput whether the attack's first step is one row at the clean input with
   *     {@link AttackContext#objective()}: then the pass that classifies the original can take that
   *     step too (see {@link AttackRunner})
   */
  record Prepared(Function<AttackContext, Attack> factory, boolean firstStepAtInput) {

    /** A gradient-free attack, or one whose first step is not at the clean input. */
    static Prepared of(Function<AttackContext, Attack> factory) {
      return new Prepared(factory, false);
    }
  }
}
