package io.advlab.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The static admin token, compared in constant time: both sides are hashed with SHA-256 first,
 * so neither the position of the first differing byte nor the token's length shows in the time a
 * wrong guess takes ({@link MessageDigest#isEqual} alone is constant-time only for equal lengths).
 */
final class AdminToken {

  private final byte[] digest;

  /** @param token the configured token; {@code null} or blank means none, which matches nothing */
  AdminToken(String token) {
    this.digest = token == null || token.isBlank() ? null : sha256(token);
  }

  boolean isConfigured() {
    return digest != null;
  }

  boolean matches(String presented) {
    return digest != null && presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }
}
