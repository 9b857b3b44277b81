package io.advlab.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * What the store knows of a version besides its files ({@code metadata.json}): where it came
 * from and how it was made, so a version can be traced and compared with its parent.
 *
 * @param source where the files came from: a URL, a server-side folder, "upload", or the job that
 *     made them
 * @param created when the version entered the store
 * @param parentVersion the version it was derived from (fine-tuning), or null
 * @param method how it was made: "registered", or a fine-tuning recipe name
 * @param details the recipe, data set digests, per-epoch figures... free-form
 * @param metrics measured figures (accuracies), free-form
 * @param autoload whether the version is loaded at start; false once someone unloads it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String source, Instant created, Integer parentVersion, String method,
    Map<String, Object> details, Map<String, Object> metrics, boolean autoload) {

  static ModelMetadata registered(String source) {
    return new ModelMetadata(source, Instant.now(), null, "registered", Map.of(), Map.of(), true);
  }

  ModelMetadata withAutoload(boolean value) {
    return new ModelMetadata(source, created, parentVersion, method, details, metrics, value);
  }
}
