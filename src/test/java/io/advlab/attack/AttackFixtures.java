package io.advlab.attack;

import java.time.Duration;
import java.util.List;

/** The attack plug-ins and their catalogue as Spring wires them, built without Spring or a model. */
final class AttackFixtures {

  /** The digits model's shape: 10 classes, 3 x 32 x 32 inputs. */
  static final ModelShape DIGITS = new ModelShape(10, 3 * 32 * 32);

  static final AttackProperties PROPERTIES =
      new AttackProperties(Duration.ofSeconds(30), Duration.ofSeconds(120), 1000, 64, 64, Duration.ofMillis(5),
          AttackProperties.StateOnDevice.AUTO);

  private AttackFixtures() {}

  /** The five methods in catalogue order. */
  static List<AttackMethod> methods() {
    return List.of(new NoiseMethod(), new SemanticMethod(), new FgsmMethod(), new PgdMethod(PROPERTIES),
        new DeepFoolMethod(PROPERTIES));
  }

  static AttackCatalogue catalogue() {
    return new AttackCatalogue(methods());
  }

  /** The parameters a request sends, read against the named method's spec for {@code shape}. */
  static AttackParams params(String method, ModelShape shape, java.util.Map<String, Object> raw) {
    return new AttackParams(catalogue().method(method, shape).spec(), raw);
  }
}
