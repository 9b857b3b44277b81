package io.advlab.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import org.springframework.stereotype.Component;

/**
 * Marks the primitive components of every record schema {@code required}: a primitive is always
 * written, so clients may rely on it (reference components that the server guarantees are marked
 * one by one with {@code @Schema(requiredMode = REQUIRED)}). Request records hold no primitives,
 * so this speaks only of what responses guarantee.
 */
@Component
class RecordPrimitivesRequired implements ModelConverter {

  @Override
  public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    Schema<?> resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    if (resolved == null || type.getType() == null) {
      return resolved;
    }
    JavaType javaType = Json.mapper().constructType(type.getType());
    Class<?> raw = javaType.getRawClass();
    // A model is often answered as a $ref to its definition: mark the definition.
    Schema<?> schema = resolved.get$ref() == null ? resolved
        : context.getDefinedModels().get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1));
    if (!raw.isRecord() || schema == null || schema.getProperties() == null) {
      return resolved;
    }
    for (RecordComponent component : raw.getRecordComponents()) {
      JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
      if (renamed == null) {
        renamed = component.getAnnotation(JsonProperty.class);
      }
      String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
      boolean required = schema.getRequired() != null && schema.getRequired().contains(name);
      if (component.getType().isPrimitive() && schema.getProperties().containsKey(name) && !required) {
        schema.addRequiredItem(name);
      }
    }
    return resolved;
  }
}
