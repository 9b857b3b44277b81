package io.advlab.security;

import io.advlab.problem.ProblemResponses;
import io.advlab.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers an anonymous request for an admin operation: 401 with {@code WWW-Authenticate: Bearer}
 * when admin credentials are configured, else 403 {@code management-disabled} saying how to
 * enable them (nothing the caller sends could help, so 401 would mislead).
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

  static final String DISABLED_DETAIL = "Management operations are disabled because no admin credentials are"
      + " configured. An operator enables them with a static token (advlab.security.admin-token, environment"
      + " ADVLAB_ADMIN_TOKEN) or JWTs from an identity provider (spring.security.oauth2.resourceserver.jwt.issuer-uri,"
      + " jwk-set-uri or public-key-location).";

  private final AdminCredentials credentials;

  ProblemAuthenticationEntryPoint(AdminCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (!credentials.enabled()) {
      ProblemResponses.write(request, response, ProblemResponses.problem(ProblemType.MANAGEMENT_DISABLED, DISABLED_DETAIL));
      return;
    }
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    ProblemResponses.write(request, response, ProblemResponses.problem(ProblemType.UNAUTHORIZED,
        "This operation needs admin credentials: send 'Authorization: Bearer <token>' with "
            + credentials.describe() + "."));
  }
}
