package io.advlab.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The one list of requests that need admin credentials; everything else is open. Extend it here
 * when a feature adds management operations (fine-tuning jobs, a switch that puts starting
 * evaluations behind credentials).
 */
final class AdminRequests {

  /** Methods that only read; every other method on a management path is a write. */
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  /**
   * Management paths: the model registry (fine-tunings start under it), the choice of the default
   * model, data set uploads, and cancelling fine-tunings.
   */
  private static final List<String> MANAGEMENT_PATHS = List.of("/api/v1/models/**", "/api/v1/default-model",
      "/api/v1/datasets",
      "/api/v1/datasets/**", "/api/v1/fine-tunings/**");

  /** Actuator endpoints everyone may read: Kubernetes probes, Prometheus scrapes, build info. */
  private static final String[] OPEN_ENDPOINTS = {"health", "prometheus", "info"};

  private AdminRequests() {}

  /** Evaluation writes (start, cancel), admin-only where an operator says so: they are heavy. */
  private static final List<String> EVALUATION_PATHS = List.of("/api/v1/evaluations", "/api/v1/evaluations/**");

  /**
   * Management writes, evaluation writes when {@code protectEvaluations}, and every actuator
   * endpoint but the open ones (metrics today).
   */
  static RequestMatcher matcher(boolean protectEvaluations) {
    List<RequestMatcher> matchers = new ArrayList<>();
    MANAGEMENT_PATHS.forEach(path -> matchers.add(write(path)));
    if (protectEvaluations) {
      EVALUATION_PATHS.forEach(path -> matchers.add(write(path)));
    }
    matchers.add(EndpointRequest.toAnyEndpoint().excluding(OPEN_ENDPOINTS).excludingLinks());
    return new OrRequestMatcher(matchers);
  }

  private static RequestMatcher write(String pathPattern) {
    RequestMatcher path = PathPatternRequestMatcher.withDefaults().matcher(pathPattern);
    return request -> !READS.contains(request.getMethod()) && path.matches(request);
  }
}
