package io.advlab.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Management writes over real HTTP with both a static admin token and JWTs (signed with an RSA key
 * this test generates; the service reads its public key from a PEM file) configured. The model
 * registry does not exist on this branch, so {@link ProbeController} stands in for it.
 */
@Import(ManagementSecurityTests.ProbeEndpoints.class)
class ManagementSecurityTests extends DigitsServerTest {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
  private static final KeyPair KEYS = rsaKeyPair();
  private static final Path PUBLIC_KEY_PEM = writePublicKeyPem(KEYS);

  @DynamicPropertySource
  static void adminCredentials(DynamicPropertyRegistry registry) {
    registry.add("advlab.security.admin-token", () -> ADMIN_TOKEN);
    registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> PUBLIC_KEY_PEM.toUri().toString());
  }

  @Autowired
  ObjectProvider<UserDetailsService> userDetailsServices;

  @ParameterizedTest
  @CsvSource({"POST, /api/v1/models/probe", "PUT, /api/v1/models/probe", "DELETE, /api/v1/models/probe",
      "POST, /api/v1/default-model"})
  void managementWritesWithoutCredentialsAre401ProblemsAskingForABearerToken(String method, String path) {
    HttpApi.Response response = call(method, path, null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertProblem(response, 401, "unauthorized", path);
    assertThat(response.json().path("detail").asString()).contains("Authorization: Bearer", "the admin token",
        "a JWT with the scope 'advlab:admin'");
  }

  @ParameterizedTest
  @CsvSource({"POST, /api/v1/models/probe", "PUT, /api/v1/models/probe", "DELETE, /api/v1/models/probe",
      "POST, /api/v1/default-model"})
  void managementWritesWithTheAdminTokenPass(String method, String path) {
    HttpApi.Response response = call(method, path, ADMIN_TOKEN);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("probe").asString()).isEqualTo(method);
  }

  @Test
  void aWrongTokenIs403() {
    HttpApi.Response response = call("POST", "/api/v1/models/probe", ADMIN_TOKEN + "x");

    assertThat(response.status()).isEqualTo(403);
    assertProblem(response, 403, "forbidden", "/api/v1/models/probe");
    assertThat(response.json().path("detail").asString()).contains("refused", "not the admin token");
  }

  @Test
  void aMalformedBearerHeaderIs403() {
    HttpApi.Response response = call("POST", "/api/v1/models/probe", "not a token!");

    assertThat(response.status()).isEqualTo(403);
    assertProblem(response, 403, "forbidden", "/api/v1/models/probe");
  }

  @Test
  void readingManagementPathsStaysOpen() {
    HttpApi.Response response = call("GET", "/api/v1/models/probe", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("probe").asString()).isEqualTo("GET");
    assertThat(call("HEAD", "/api/v1/models/probe", null).status()).isEqualTo(200);
  }

  @Test
  void aJwtWithTheAdminScopeGrantsAdmin() {
    String jwt = jwt(KEYS.getPrivate(), "openid advlab:admin", Instant.now().plus(Duration.ofMinutes(5)));

    assertThat(call("POST", "/api/v1/models/probe", jwt).status()).isEqualTo(200);
    assertThat(call("DELETE", "/api/v1/models/probe", jwt).status()).isEqualTo(200);
  }

  @Test
  void aValidJwtWithoutTheAdminScopeIs403NamingTheScope() {
    String jwt = jwt(KEYS.getPrivate(), "openid profile", Instant.now().plus(Duration.ofMinutes(5)));

    HttpApi.Response response = call("POST", "/api/v1/models/probe", jwt);

    assertThat(response.status()).isEqualTo(403);
    assertProblem(response, 403, "forbidden", "/api/v1/models/probe");
    assertThat(response.json().path("detail").asString()).contains("advlab:admin");
    assertThat(response.header("WWW-Authenticate")).contains("insufficient_scope");
    assertThat(call("GET", "/api/v1/model", jwt).status()).as("reading with a scope-less JWT").isEqualTo(200);
  }

  @Test
  void anExpiredJwtIs403() {
    // Past Spring's default 60 s clock skew.
    String jwt = jwt(KEYS.getPrivate(), "advlab:admin", Instant.now().minus(Duration.ofHours(1)));

    HttpApi.Response response = call("POST", "/api/v1/models/probe", jwt);

    assertThat(response.status()).isEqualTo(403);
    assertProblem(response, 403, "forbidden", "/api/v1/models/probe");
    assertThat(response.json().path("detail").asString()).containsIgnoringCase("expired");
  }

  @Test
  void aJwtSignedWithAnotherKeyIs403() {
    String jwt = jwt(rsaKeyPair().getPrivate(), "advlab:admin", Instant.now().plus(Duration.ofMinutes(5)));

    HttpApi.Response response = call("POST", "/api/v1/models/probe", jwt);

    assertThat(response.status()).isEqualTo(403);
    assertProblem(response, 403, "forbidden", "/api/v1/models/probe");
  }

  @Test
  void aRefusedTokenFailsEvenOnOpenEndpoints() {
    assertThat(call("GET", "/api/v1/model", null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/model", "wrong").status()).isEqualTo(403);
  }

  @Test
  void healthShowsAnonymousCallersTheStatusOnlyAndAdminsTheDetails() {
    JsonNode anonymous = call("GET", "/actuator/health", null).json();
    assertThat(anonymous.path("status").asString()).isEqualTo("UP");
    assertThat(anonymous.has("components")).isFalse();
    assertThat(anonymous.has("details")).isFalse();

    String scopeless = jwt(KEYS.getPrivate(), "profile", Instant.now().plus(Duration.ofMinutes(5)));
    assertThat(call("GET", "/actuator/health", scopeless).json().has("components")).isFalse();

    JsonNode admin = call("GET", "/actuator/health", ADMIN_TOKEN).json();
    assertThat(admin.path("components").path("diskSpace").path("details").has("path")).isTrue();
  }

  @Test
  void probesAndThePrometheusScrapeStayOpen() {
    assertThat(call("GET", "/actuator/health/liveness", null).status()).isEqualTo(200);
    assertThat(call("GET", "/actuator/health/readiness", null).status()).isEqualTo(200);
    assertThat(call("GET", "/actuator/prometheus", null).status()).isEqualTo(200);
  }

  @Test
  void metricsNeedAdmin() {
    HttpApi.Response anonymous = call("GET", "/actuator/metrics", null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertProblem(anonymous, 401, "unauthorized", "/actuator/metrics");
    assertThat(call("GET", "/actuator/metrics/jvm.memory.used", null).status()).isEqualTo(401);

    assertThat(call("GET", "/actuator/metrics", ADMIN_TOKEN).status()).isEqualTo(200);
  }

  @Test
  void statelessWithoutGeneratedUser() {
    HttpApi.Response response = call("POST", "/api/v1/models/probe", ADMIN_TOKEN);

    assertThat(response.header("Set-Cookie")).isNull();
    assertThat(userDetailsServices.getIfAvailable()).isNull();
  }

  @Test
  void adminOperationsReferenceTheBearerSchemeInTheOpenApiDocument() {
    JsonNode doc = call("GET", "/v3/api-docs", null).json();

    assertThat(doc.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
        .isEqualTo("bearer");
    JsonNode post = doc.path("paths").path("/api/v1/models/probe").path("post");
    assertThat(post.path("security").path(0).has("bearer")).isTrue();
    assertThat(post.path("responses").has("401")).isTrue();
    assertThat(doc.path("paths").path("/api/v1/models/probe").path("get").has("security")).isFalse();
  }

  static void assertProblem(HttpApi.Response response, int status, String slug, String instance) {
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode body = response.json();
    assertThat(body.path("type").asString()).isEqualTo("https://advlab.io/problems/" + slug);
    assertThat(body.path("title").asString()).isNotBlank();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("detail").asString()).isNotBlank();
    assertThat(body.path("instance").asString()).isEqualTo(instance);
    assertThat(body.propertyNames()).containsExactly("type", "title", "status", "detail", "instance");
  }

  HttpApi.Response call(String method, String path, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return api().send(request);
  }

  static String jwt(PrivateKey key, String scope, Instant expires) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("operator@example.com").claim("scope", scope)
        .issueTime(Date.from(expires.minus(Duration.ofMinutes(10)))).expirationTime(Date.from(expires)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writePublicKeyPem(KeyPair keys) {
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    try {
      Path file = Files.createTempFile("advlab-jwt-", ".pem");
      file.toFile().deleteOnExit();
      return Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stands in for the model registry's management endpoints, which another branch adds. */
  @TestConfiguration(proxyBeanMethods = false)
  static class ProbeEndpoints {
    @Bean
    ProbeController probeController() {
      return new ProbeController();
    }
  }

  @RestController
  static class ProbeController {
    @GetMapping("/api/v1/models/probe")
    Map<String, String> read() {
      return Map.of("probe", "GET");
    }

    @AdminOperation
    @PostMapping("/api/v1/models/probe")
    Map<String, String> create() {
      return Map.of("probe", "POST");
    }

    @AdminOperation
    @PutMapping("/api/v1/models/probe")
    Map<String, String> replace() {
      return Map.of("probe", "PUT");
    }

    @AdminOperation
    @DeleteMapping("/api/v1/models/probe")
    Map<String, String> delete() {
      return Map.of("probe", "DELETE");
    }

    @AdminOperation
    @PostMapping("/api/v1/default-model")
    Map<String, String> chooseDefault() {
      return Map.of("probe", "POST");
    }
  }
}
