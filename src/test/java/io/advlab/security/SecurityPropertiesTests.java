package io.advlab.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** Binds {@link SecurityProperties} as the service does: application.yml, then the environment. */
class SecurityPropertiesTests {

  private static SecurityProperties bind(Map<String, Object> environment) throws IOException {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
    new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
        .forEach(env.getPropertySources()::addLast);
    ConfigurationPropertySources.attach(env);
    return Binder.get(env).bindOrCreate("advlab.security", SecurityProperties.class);
  }

  /** The properties that violate their constraints, as start-up validation would report them. */
  private static List<String> violations(SecurityProperties properties) {
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      return factory.getValidator().validate(properties).stream().map(v -> v.getPropertyPath().toString()).toList();
    }
  }

  @Test
  void defaultsHaveNoTokenAndTheAdvlabAdminScope() throws IOException {
    SecurityProperties bound = bind(Map.of());

    assertThat(bound.hasAdminToken()).isFalse();
    assertThat(bound.adminScope()).isEqualTo("advlab:admin");
  }

  @Test
  void adminTokenComesFromAdvlabAdminTokenOrRelaxedBinding() throws IOException {
    assertThat(bind(Map.of("ADVLAB_ADMIN_TOKEN", "abc123")).adminToken()).isEqualTo("abc123");
    assertThat(bind(Map.of("ADVLAB_SECURITY_ADMINTOKEN", "def456")).adminToken()).isEqualTo("def456");
    assertThat(bind(Map.of("ADVLAB_SECURITY_ADMINSCOPE", "ops:write")).adminScope()).isEqualTo("ops:write");
  }

  @Test
  void aTokenThatCannotTravelInABearerHeaderIsInvalid() throws IOException {
    assertThat(violations(bind(Map.of()))).isEmpty();
    assertThat(violations(bind(Map.of("ADVLAB_ADMIN_TOKEN", "0123456789abcdef+/==")))).isEmpty();
    assertThat(violations(bind(Map.of("ADVLAB_ADMIN_TOKEN", "has space")))).containsExactly("adminToken");
    assertThat(violations(bind(Map.of("ADVLAB_SECURITY_ADMINSCOPE", " ")))).containsExactly("adminScope");
  }
}
