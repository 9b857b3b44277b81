package io.advlab.attack;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;

/**
 * One attack method as the catalogue describes it.
 *
 * @param name the {@code method} value in requests
 * @param title a short human name
 * @param description what the attack does
 * @param targeted whether the request's {@code target} is accepted; {@code never}, {@code optional}
 *     or {@code required} in JSON
 * @param whiteBox whether it needs the model's gradients
 * @param params its parameters
 */
@Schema(description = "An attack method, its parameters and whether it is targeted or white-box",
    requiredProperties = {"name", "title", "description", "targeted", "params"})
public record MethodSpec(
    @Schema(ref = AttackMethodNames.REF) String name,
    @Schema(example = "Projected gradient descent") String title,
    String description,
    Targeted targeted,
    boolean whiteBox,
    List<ParamSpec> params) {

  /** Whether a method takes a target class; written in lower case, as clients have always read it. */
  @Schema(name = "Targeted", enumAsRef = true, description = "Whether a method takes a `target`")
  public enum Targeted {
    NEVER, OPTIONAL, REQUIRED;

    @JsonValue
    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  ParamSpec param(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }
}
