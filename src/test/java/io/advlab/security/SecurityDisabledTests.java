package io.advlab.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without an admin token and without JWT configuration, management writes are disabled. */
@Import(ManagementSecurityTests.ProbeEndpoints.class)
class SecurityDisabledTests extends DigitsServerTest {

  @DynamicPropertySource
  static void noAdminCredentials(DynamicPropertyRegistry registry) {
    registry.add("advlab.security.admin-token", () -> "");
  }

  @Test
  void managementWritesAre403SayingHowToEnableThem() {
    for (String token : new String[] {null, "anything"}) {
      HttpApi.Response response = call("POST", "/api/v1/models/probe", token);

      assertThat(response.status()).isEqualTo(403);
      ManagementSecurityTests.assertProblem(response, 403, "management-disabled", "/api/v1/models/probe");
      assertThat(response.json().path("detail").asString()).contains("advlab.security.admin-token",
          "ADVLAB_ADMIN_TOKEN", "spring.security.oauth2.resourceserver.jwt.issuer-uri");
    }
    assertThat(call("POST", "/api/v1/default-model", null).status()).isEqualTo(403);
    assertThat(call("GET", "/actuator/metrics", null).status()).isEqualTo(403);
  }

  @Test
  void readingStaysOpen() {
    assertThat(call("GET", "/api/v1/models/probe", null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/model", "anything").status()).isEqualTo(200);
    assertThat(call("GET", "/actuator/health", null).json().has("components")).isFalse();
    assertThat(call("GET", "/v3/api-docs", null).json().path("components").path("securitySchemes").has("bearer"))
        .isTrue();
  }

  private HttpApi.Response call(String method, String path, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return api().send(request);
  }
}
