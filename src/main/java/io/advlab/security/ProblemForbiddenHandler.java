package io.advlab.security;

import io.advlab.problem.ProblemResponses;
import io.advlab.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Answers 403 {@code forbidden} when credentials were presented but do not grant admin: a bearer
 * token that is neither the admin token nor a valid JWT (malformed, badly signed, expired: all
 * refused alike, so 403 rather than RFC 6750's 401, since the issue asks for 403 on wrong
 * credentials), or a valid JWT without the admin scope.
 */
final class ProblemForbiddenHandler implements AccessDeniedHandler, AuthenticationFailureHandler {

  private final AdminCredentials credentials;

  ProblemForbiddenHandler(AdminCredentials credentials) {
    this.credentials = credentials;
  }

  /** A bearer token was presented and refused. */
  @Override
  public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
      AuthenticationException e) throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
    write(request, response, "The bearer token was refused (" + e.getMessage() + "). This operation needs "
        + credentials.describe() + ".");
  }

  /** Authenticated, but without admin: a JWT that lacks the admin scope. */
  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
        "Bearer error=\"insufficient_scope\", scope=\"" + credentials.adminScope() + "\"");
    write(request, response, "The token does not grant admin: this operation needs " + credentials.describe() + ".");
  }

  private static void write(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    ProblemResponses.write(request, response, ProblemResponses.problem(ProblemType.FORBIDDEN, detail));
  }
}
