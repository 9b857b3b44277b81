package io.advlab.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem caused by the request (or by load) that becomes an RFC 9457 response: the
 * {@link ProblemType} gives status, type and title, {@code detail} says what exactly went wrong
 * in words a client can act on. Extra members (for example {@code field} or
 * {@code retryAfterSeconds}) are added to the problem body.
 */
public class ApiException extends RuntimeException {

  private final ProblemType type;
  private final Map<String, Object> properties = new LinkedHashMap<>();

  public ApiException(ProblemType type, String detail) {
    super(detail);
    this.type = type;
  }

  public ApiException(ProblemType type, String detail, Throwable cause) {
    super(detail, cause);
    this.type = type;
  }

  /** A 400 naming the offending request field. */
  public static ApiException invalidField(String field, String detail) {
    return new ApiException(ProblemType.INVALID_REQUEST, detail).with("field", field);
  }

  /** A 503 that tells the client when to retry; the handler also sets {@code Retry-After}. */
  public static ApiException overloaded(String detail, int retryAfterSeconds) {
    return new ApiException(ProblemType.OVERLOADED, detail).with("retryAfterSeconds", retryAfterSeconds);
  }

  /**
   * Adds an extension member to the problem body. Only the members {@link Problem} declares are
   * allowed, so that the OpenAPI document (and every client generated from it) knows each one.
   */
  public ApiException with(String name, Object value) {
    if (!Problem.EXTENSIONS.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a member of Problem; declare it there first");
    }
    properties.put(name, value);
    return this;
  }

  public ProblemType type() {
    return type;
  }

  public Map<String, Object> properties() {
    return Map.copyOf(properties);
  }
}
