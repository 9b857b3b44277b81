package io.advlab.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A problem carries only the members the {@link Problem} schema declares, so clients know every one. */
class ApiExceptionTests {

  @Test
  void declaredExtensionMembersAreCarried() {
    ApiException e = ApiException.invalidField("topK", "'topK' must be an integer.").with("retryAfterSeconds", 2);
    assertThat(e.properties()).containsEntry("field", "topK").containsEntry("retryAfterSeconds", 2);
  }

  @Test
  void anUndeclaredMemberIsRefused() {
    assertThatThrownBy(() -> new ApiException(ProblemType.INVALID_REQUEST, "x").with("hint", "y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'hint' is not a member of Problem");
  }

  @Test
  void theExtensionsAreEveryMemberButRfc9457s() {
    assertThat(Problem.EXTENSIONS).contains("field", "retryAfterSeconds", "state", "readyModels")
        .doesNotContain("type", "title", "status", "detail", "instance");
  }
}
