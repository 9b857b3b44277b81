package io.advlab.attack;

import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The {@code AttackMethod} schema of the OpenAPI document: one enum of the method names, taken
 * from the catalogue's plug-ins, that every {@code method} field refers to (requests, responses,
 * the catalogue and evaluations), so generated clients have one type for it.
 */
@Component
public class AttackMethodNames implements OpenApiCustomizer {

  public static final String NAME = "AttackMethod";
  public static final String REF = "#/components/schemas/" + NAME;

  private final AttackCatalogue catalogue;

  AttackMethodNames(AttackCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  @Override
  public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
    StringSchema schema = new StringSchema();
    schema.description("An attack method of `GET /api/v1/attacks`");
    catalogue.names().forEach(schema::addEnumItem);
    openApi.getComponents().addSchemas(NAME, schema);
    // A String field documented as the enum comes out as {"type": "string", "$ref": ...}: keep the $ref alone.
    for (Schema<?> model : openApi.getComponents().getSchemas().values()) {
      if (model.getProperties() != null) {
        for (Schema<?> property : model.getProperties().values()) {
          if (REF.equals(property.get$ref())) {
            property.setType(null);
            property.setTypes(null);
          }
        }
      }
    }
  }
}
