package io.advlab.attack;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.StdSerializer;

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
@Schema(description = "One attack parameter: type, default and range", requiredProperties = {"name", "type",
    "description"})
public record ParamSpec(
    @Schema(example = "eps") String name,
    @Schema(example = "number", allowableValues = {"number", "integer", "boolean", "string"}) String type,
    @Schema(description = "The value used when the parameter is absent, of the parameter's `type`; absent when it"
        + " has no fixed default", anyOf = {Boolean.class, Double.class, String.class}) Object defaultValue,
    @Schema(example = "0") @JsonSerialize(using = WholeNumbers.class) Double min,
    @Schema(example = "1") @JsonSerialize(using = WholeNumbers.class) Double max,
    @JsonSerialize(using = WholeNumbers.class) Double maxL2,
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

  /** Writes a whole-number bound as an integer ({@code 1000}, not {@code 1000.0}): integer parameters read as such. */
  static final class WholeNumbers extends StdSerializer<Double> {

    WholeNumbers() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializationContext context) {
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        gen.writeNumber(value.longValue());
      } else {
        gen.writeNumber(value);
      }
    }
  }
}
