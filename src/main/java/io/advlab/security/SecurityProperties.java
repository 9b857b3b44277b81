package io.advlab.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Admin credentials for management operations. JWTs are configured with Spring Boot's standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties, not here.
 *
 * @param adminToken static bearer token that grants admin (environment {@code ADVLAB_ADMIN_TOKEN});
 *     empty means none. Restricted to the RFC 6750 token characters because a bearer header with
 *     others is refused before any comparison; {@code openssl rand -hex 32} makes a good one
 * @param adminScope JWT scope that grants admin; Spring maps the {@code scope} / {@code scp}
 *     claim to {@code SCOPE_<scope>} authorities
 * @param protectEvaluations whether starting and cancelling evaluations needs admin credentials too
 *     (environment {@code ADVLAB_SECURITY_PROTECTEVALUATIONS}); they are heavy, so a shared
 *     deployment may keep them for operators
 */
@ConfigurationProperties("advlab.security")
@Validated
public record SecurityProperties(
    @DefaultValue("") @Pattern(regexp = "[A-Za-z0-9._~+/-]*=*",
        message = "may only contain letters, digits and -._~+/ (RFC 6750 bearer token characters)") String adminToken,
    @DefaultValue("advlab:admin") @NotBlank String adminScope,
    @DefaultValue("false") boolean protectEvaluations) {

  /** Whether a static admin token is configured. */
  public boolean hasAdminToken() {
    return adminToken != null && !adminToken.isBlank();
  }
}
