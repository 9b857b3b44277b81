package io.advlab.system;

import io.advlab.problem.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Title and description of the OpenAPI document at {@code /v3/api-docs}, and what every operation
 * shares: the {@code Retry-After} header of 503 and 429 answers. The document is kept in
 * {@code docs/openapi.json} and SDKs are generated from it (see docs/api.md).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  /** Statuses whose problem carries {@code Retry-After} (load, a model still loading, too many jobs). */
  private static final Set<String> RETRY_STATUSES = Set.of("503", "429");

  @Bean
  OpenAPI advlabOpenApi() {
    return new OpenAPI().info(new Info()
        .title("advlab API")
        .version("v1")
        .description("Classify images with image classifiers and attack them with adversarial examples. Errors are"
            + " RFC 9457 problem+json (the `Problem` schema) with a stable `type` URI under " + ProblemType.BASE_URI
            + "; 503 and 429 answers carry `Retry-After`.")
        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
        // A fixed server rather than the one springdoc guesses from each request (host and port of
        // whoever asked), so the committed document does not change with them; clients set their own.
        .servers(List.of(new Server().url("http://localhost:8080").description("advlab on this machine (its default"
            + " port); give your client the service's base URL")));
  }

  /** Declares {@code Retry-After} on every 503 and 429 response, as the server sends it. */
  @Bean
  OpenApiCustomizer retryAfterHeaders() {
    return openApi -> {
      if (openApi.getPaths() == null) {
        return;
      }
      openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
        operation.getResponses().forEach((status, response) -> {
          if (RETRY_STATUSES.contains(status)) {
            retryAfter(response);
          }
        });
      }));
    };
  }

  private static void retryAfter(ApiResponse response) {
    response.addHeaderObject("Retry-After", new Header()
        .description("Seconds to wait before retrying (sent where the server knows; also `retryAfterSeconds`"
            + " in the problem)")
        .schema(new IntegerSchema().format(null).minimum(java.math.BigDecimal.ZERO)));
  }
}
