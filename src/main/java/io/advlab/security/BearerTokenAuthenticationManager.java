package io.advlab.security;

import java.util.List;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a bearer token: first as the static admin token, then, where a JWT decoder is
 * configured, as a JWT. A token that is neither fails, which the filter answers with 403.
 */
final class BearerTokenAuthenticationManager implements AuthenticationManager {

  private final AdminToken adminToken;
  private final AuthenticationProvider jwt;

  /** @param jwt the JWT provider, or {@code null} where no JWT decoder is configured */
  BearerTokenAuthenticationManager(AdminToken adminToken, AuthenticationProvider jwt) {
    this.adminToken = adminToken;
    this.jwt = jwt;
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    String token = ((BearerTokenAuthenticationToken) authentication).getToken();
    if (adminToken.matches(token)) {
      return UsernamePasswordAuthenticationToken.authenticated("admin-token", null,
          List.of(AdminCredentials.ADMIN_AUTHORITY));
    }
    if (jwt == null) {
      throw new BadCredentialsException("it is not the admin token");
    }
    try {
      return jwt.authenticate(authentication);
    } catch (AuthenticationException e) {
      String why = adminToken.isConfigured() ? "it is not the admin token, nor a valid JWT: " : "";
      throw new BadCredentialsException(why + e.getMessage(), e);
    }
  }
}
