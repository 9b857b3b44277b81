package io.advlab.attack;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One attack method as the catalogue describes it.
 *
 * @param name the {@code method} value in requests
 * @param title a short human name
 * @param description what the attack does
 * @param targeted {@code never}, {@code optional} or {@code required}: whether the request's
 *     {@code target} is accepted
 * @param whiteBox whether it needs the model's gradients
 * @param params its parameters
 */
@Schema(description = "An attack method, its parameters and whether it is targeted or white-box")
public record MethodSpec(
    @Schema(example = "pgd") String name,
    @Schema(example = "Projected gradient descent") String title,
    String description,
    @Schema(example = "optional", allowableValues = {"never", "optional", "required"}) String targeted,
    boolean whiteBox,
    List<ParamSpec> params) {

  ParamSpec param(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }
}
