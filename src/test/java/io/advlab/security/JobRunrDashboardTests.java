package io.advlab.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.support.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JobRunr's dashboard, a web server outside Spring Security, is never served without credentials. */
class JobRunrDashboardTests {

  private static final String TOKEN = "dashboard-test-token";

  @Test
  void withoutAnAdminTokenTheServiceRefusesToOpenIt() {
    assertThatThrownBy(() -> new TestServer(Map.of("jobrunr.dashboard.enabled", true,
        "jobrunr.dashboard.port", freePort(), "advlab.security.admin-token", "")).close())
        .hasStackTraceContaining("The JobRunr dashboard (ADVLAB_JOBRUNR_DASHBOARD=true) needs credentials");
  }

  @Test
  void itAsksForTheAdminTokenAsPassword() throws Exception {
    int port = freePort();
    try (TestServer server = new TestServer(Map.of("jobrunr.dashboard.enabled", true, "jobrunr.dashboard.port", port,
        "advlab.security.admin-token", TOKEN))) {
      assertThat(get(port, null)).isEqualTo(401);
      assertThat(get(port, "admin:wrong")).isEqualTo(401);
      assertThat(get(port, "admin:" + TOKEN)).isEqualTo(200);
    }
  }

  private static int get(int port, String credentials) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/servers"));
    if (credentials != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes()));
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
