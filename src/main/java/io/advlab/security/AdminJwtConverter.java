package io.advlab.security;

import java.util.ArrayList;
import java.util.Collection;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * Maps a JWT's {@code scope} / {@code scp} claim to {@code SCOPE_*} authorities as Spring does by
 * default, and adds {@code ROLE_ADMIN} when the admin scope is among them, so that the static token
 * and JWTs grant admin through one authority.
 */
final class AdminJwtConverter implements Converter<Jwt, AbstractAuthenticationToken> {

  private final JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
  private final String adminScopeAuthority;

  AdminJwtConverter(String adminScope) {
    this.adminScopeAuthority = "SCOPE_" + adminScope;
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    Collection<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(jwt));
    if (authorities.stream().anyMatch(a -> adminScopeAuthority.equals(a.getAuthority()))) {
      authorities.add(AdminCredentials.ADMIN_AUTHORITY);
    }
    return new JwtAuthenticationToken(jwt, authorities);
  }
}
