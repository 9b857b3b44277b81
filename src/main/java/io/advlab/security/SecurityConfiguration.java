package io.advlab.security;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * One stateless filter chain: requests in {@link AdminRequests} need the admin role, all others are
 * open. Bearer tokens are the only credentials (no session, no CSRF, no login form, no basic
 * auth); a bearer token is checked wherever it is sent, so a wrong one fails loudly instead of
 * silently reading as anonymous. The JWT decoder is Spring Boot's, built from
 * {@code spring.security.oauth2.resourceserver.jwt.*} only when those are set, so start-up needs no
 * network otherwise (and with {@code issuer-uri} Boot resolves the issuer lazily).
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = AdminOperation.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
    description = "The static admin token (advlab.security.admin-token) or a JWT whose scope includes the admin"
        + " scope (advlab.security.admin-scope, default advlab:admin). Only management operations need it.")
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties,
      ObjectProvider<JwtDecoder> jwtDecoders) throws Exception {
    JwtDecoder jwtDecoder = jwtDecoders.getIfAvailable();
    AdminCredentials credentials = new AdminCredentials(properties.hasAdminToken(), jwtDecoder != null,
        properties.adminScope());
    ProblemForbiddenHandler forbidden = new ProblemForbiddenHandler(credentials);
    http.csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .exceptionHandling(exceptions -> exceptions
            .authenticationEntryPoint(new ProblemAuthenticationEntryPoint(credentials))
            .accessDeniedHandler(forbidden))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(AdminRequests.matcher(properties.protectEvaluations())).hasRole(AdminCredentials.ADMIN_ROLE)
            .anyRequest().permitAll());
    if (credentials.enabled()) {
      http.addFilterBefore(bearerFilter(properties, jwtDecoder, forbidden), AnonymousAuthenticationFilter.class);
    }
    return http.build();
  }

  private static BearerTokenAuthenticationFilter bearerFilter(SecurityProperties properties, JwtDecoder jwtDecoder,
      ProblemForbiddenHandler forbidden) {
    JwtAuthenticationProvider jwt = null;
    if (jwtDecoder != null) {
      jwt = new JwtAuthenticationProvider(jwtDecoder);
      jwt.setJwtAuthenticationConverter(new AdminJwtConverter(properties.adminScope()));
    }
    BearerTokenAuthenticationFilter filter = new BearerTokenAuthenticationFilter(
        new BearerTokenAuthenticationManager(new AdminToken(properties.adminToken()), jwt));
    filter.setAuthenticationFailureHandler(forbidden);
    // A malformed Authorization: Bearer header is refused credentials too, not missing ones.
    filter.setAuthenticationEntryPoint(forbidden::onAuthenticationFailure);
    return filter;
  }
}
