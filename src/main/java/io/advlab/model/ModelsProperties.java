package io.advlab.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The models served from start-up ({@code advlab.models[i].*}) and the default one
 * ({@code advlab.default-model}). Versions registered later live in the model store and are
 * served again after a restart.
 *
 * @param models what to load at start; empty: {@code advlab.model.url} alone, or the built-in
 *     defaults (the zoo's ResNet18 and the bundled digits demo)
 * @param defaultModel the model a request without {@code model} gets; empty: the first listed
 */
@ConfigurationProperties("advlab")
@Validated
public record ModelsProperties(@DefaultValue List<@Valid Entry> models, @DefaultValue("") String defaultModel) {

  /**
   * One model to serve.
   *
   * @param name model name (letters, digits, '.', '_', '-')
   * @param url where to load it from: a folder, {@code file:}, {@code djl://}, {@code http(s)://}
   *     archive, or {@code classpath:} folder
   * @param version the version number it is served as
   * @param device {@code auto}, {@code cpu}, {@code gpu}, {@code gpu1}...; empty: {@code advlab.model.device}
   * @param required readiness stays down until this model is ready (set it where a deployment
   *     exists to serve this model)
   */
  public record Entry(@NotBlank String name, @NotBlank String url, @DefaultValue("1") @Min(1) int version,
      @DefaultValue("") String device, @DefaultValue("false") boolean required) {}
}
