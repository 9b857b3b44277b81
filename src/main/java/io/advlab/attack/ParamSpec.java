package io.advlab.attack;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One parameter of an attack as the catalogue describes it.
 *
 * @param name key in the request's {@code params} object
 * @param type {@code number}, {@code integer}, {@code boolean} or {@code string}
 * @param defaultValue used when the parameter is absent; null when it has no fixed default
 * @param min smallest allowed value (numbers)
 * @param max largest allowed value (numbers); for {@code eps}/{@code stepSize} with norm
 *     {@code l2} the cap is {@code maxL2} instead
 * @param maxL2 largest allowed value when {@code norm} is {@code l2} (sqrt of the input size)
 * @param values allowed values (strings)
 * @param description what it does, with units
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One attack parameter: type, default and range")
public record ParamSpec(
    @Schema(example = "eps") String name,
    @Schema(example = "number") String type,
    @Schema(example = "0.03137") Object defaultValue,
    @Schema(example = "0") Double min,
    @Schema(example = "1") Double max,
    Double maxL2,
    List<String> values,
    @Schema(example = "Perturbation budget in pixel units") String description) {

  static ParamSpec number(String name, Double def, double min, double max, String description) {
    return new ParamSpec(name, "number", def, min, max, null, null, description);
  }

  static ParamSpec integer(String name, int def, int min, int max, String description) {
    return new ParamSpec(name, "integer", def, (double) min, (double) max, null, null, description);
  }

  static ParamSpec bool(String name, boolean def, String description) {
    return new ParamSpec(name, "boolean", def, null, null, null, null, description);
  }

  static ParamSpec choice(String name, String def, List<String> values, String description) {
    return new ParamSpec(name, "string", def, null, null, null, values, description);
  }

  ParamSpec withMaxL2(double maxL2) {
    return new ParamSpec(name, type, defaultValue, min, max, maxL2, values, description);
  }
}
