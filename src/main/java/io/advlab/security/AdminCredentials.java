package io.advlab.security;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Which admin credentials this instance accepts, fixed at start-up; the error details name them.
 *
 * @param staticToken whether {@code advlab.security.admin-token} is set
 * @param jwt whether a JWT decoder is configured ({@code spring.security.oauth2.resourceserver.jwt.*})
 * @param adminScope the JWT scope that grants admin
 */
record AdminCredentials(boolean staticToken, boolean jwt, String adminScope) {

  /** The role every admin credential carries; admin requests and health details check it. */
  static final String ADMIN_ROLE = "ADMIN";

  static final GrantedAuthority ADMIN_AUTHORITY = new SimpleGrantedAuthority("ROLE_" + ADMIN_ROLE);

  /** Without any credentials configured, admin operations are disabled. */
  boolean enabled() {
    return staticToken || jwt;
  }

  /** What grants admin, in words for error details. */
  String describe() {
    String scoped = "a JWT with the scope '" + adminScope + "'";
    if (staticToken && jwt) {
      return "the admin token or " + scoped;
    }
    return staticToken ? "the admin token" : scoped;
  }
}
