package io.advlab.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminTokenTests {

  @Test
  void matchesOnlyTheExactToken() {
    AdminToken token = new AdminToken("s3cret-token");

    assertThat(token.isConfigured()).isTrue();
    assertThat(token.matches("s3cret-token")).isTrue();
    assertThat(token.matches("s3cret-tokeN")).isFalse();
    assertThat(token.matches("s3cret-token ")).isFalse();
    assertThat(token.matches("s3cret")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void anAbsentOrBlankTokenMatchesNothing() {
    for (String configured : new String[] {null, "", "  "}) {
      AdminToken token = new AdminToken(configured);
      assertThat(token.isConfigured()).isFalse();
      assertThat(token.matches(configured)).isFalse();
      assertThat(token.matches("")).isFalse();
    }
  }

  @Test
  void credentialsDescribeWhatGrantsAdmin() {
    assertThat(new AdminCredentials(true, true, "advlab:admin").describe())
        .isEqualTo("the admin token or a JWT with the scope 'advlab:admin'");
    assertThat(new AdminCredentials(true, false, "advlab:admin").describe()).isEqualTo("the admin token");
    assertThat(new AdminCredentials(false, true, "ops").describe()).isEqualTo("a JWT with the scope 'ops'");
    assertThat(new AdminCredentials(false, false, "ops").enabled()).isFalse();
  }
}
