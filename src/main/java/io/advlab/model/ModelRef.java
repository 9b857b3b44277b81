package io.advlab.model;

import io.advlab.problem.ApiException;

/**
 * What a request asks for in its {@code model} field: {@code digits} (that model's default
 * version) or {@code digits:2}; null or blank means the default model.
 *
 * @param name model name, or null for the default model
 * @param version version, or null for the model's default version
 */
public record ModelRef(String name, Integer version) {

  /** Reads a request's {@code model} field; 400 naming {@code field} when it is malformed. */
  public static ModelRef parse(String value, String field) {
    if (value == null || value.isBlank()) {
      return new ModelRef(null, null);
    }
    String text = value.strip();
    int colon = text.lastIndexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    Integer version = null;
    if (colon >= 0) {
      try {
        version = Integer.valueOf(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        version = -1;
      }
      if (version < 1) {
        throw ApiException.invalidField(field, "'" + field + "' must be a model name with an optional positive"
            + " version, e.g. \"digits\" or \"digits:2\"; got '" + value + "'.");
      }
    }
    if (!ModelId.NAME.matcher(name).matches()) {
      throw ApiException.invalidField(field, "'" + field + "' must be a model name (letters, digits, '.', '_', '-')"
          + " with an optional version, e.g. \"digits\" or \"digits:2\"; got '" + value + "'.");
    }
    return new ModelRef(name, version);
  }

  @Override
  public String toString() {
    return name == null ? "(default model)" : version == null ? name : name + ":" + version;
  }
}
