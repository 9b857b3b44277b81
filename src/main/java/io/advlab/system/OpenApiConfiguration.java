package io.advlab.system;

import io.advlab.problem.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Title and description of the OpenAPI document at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI advlabOpenApi() {
    return new OpenAPI().info(new Info()
        .title("advlab API")
        .version("v1")
        .description("Classify images with a ResNet18 and attack it with adversarial examples. Errors are RFC 9457"
            + " problem+json with a stable `type` URI under " + ProblemType.BASE_URI + "; 503 answers carry"
            + " `Retry-After`.")
        .license(new License().name("Apache-2.0")));
  }
}
