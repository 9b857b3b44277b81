package io.advlab.attack;

/** The norm an attack measures its perturbation in. */
enum Norm {
  LINF("linf"), L2("l2");

  private final String wire;

  Norm(String wire) {
    this.wire = wire;
  }

  /** The name used in requests and the catalogue. */
  String wire() {
    return wire;
  }

  static Norm of(String wire) {
    return "l2".equals(wire) ? L2 : LINF;
  }
}
