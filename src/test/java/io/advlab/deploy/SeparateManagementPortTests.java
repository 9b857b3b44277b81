package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service as the Helm chart runs it: the actuator on a port of its own
 * ({@code MANAGEMENT_SERVER_PORT}, here random). Probes and metrics answer there, anonymously;
 * the application port, the one an Ingress or HTTPRoute publishes, has no {@code /actuator}; and
 * the admin rules still hold on the management port.
 */
class SeparateManagementPortTests extends DigitsServerTest {

  @LocalManagementPort
  private int managementPort;

  @DynamicPropertySource
  static void managementOnItsOwnPort(DynamicPropertyRegistry registry) {
    registry.add("management.server.port", () -> "0");
  }

  @Test
  void probesAndMetricsAnswerOnTheManagementPort() {
    assertThat(managementPort).isNotEqualTo(port);
    assertThat(get(managementPort, "/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(get(managementPort, "/actuator/health/readiness").status()).isEqualTo(200);
    HttpApi.Response metrics = get(managementPort, "/actuator/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("advlab_inference");
  }

  @Test
  void theApplicationPortServesTheApiButNoActuator() {
    assertThat(get(port, "/api/v1/models").status()).isEqualTo(200);
    for (String path : new String[] {"/actuator/prometheus", "/actuator/health/readiness", "/actuator/health"}) {
      assertThat(get(port, path).status()).as(path).isEqualTo(404);
    }
  }

  @Test
  void adminOnlyActuatorEndpointsStayClosedOnTheManagementPort() {
    assertThat(get(managementPort, "/actuator/metrics").status()).isEqualTo(403);
  }

  private HttpApi.Response get(int to, String path) {
    return new HttpApi("http://127.0.0.1:" + to).get(path);
  }
}
