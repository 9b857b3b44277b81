package io.advlab.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With advlab.security.protect-evaluations, starting and cancelling evaluations needs the admin token. */
@RequiresSharedModel("digits")
class EvaluationSecurityTests {

  private static final String TOKEN = "evaluation-security-token";

  @Test
  void startingAndCancellingNeedTheTokenReadingDoesNot() {
    try (TestServer server = new TestServer(Map.of("advlab.model.url", TestRequirements.sharedModel("digits").toString(),
        "advlab.security.admin-token", TOKEN, "advlab.security.protect-evaluations", "true"))) {
      HttpApi api = server.api();
      TestServer.awaitSettled(api);
      String body = "{\"dataset\": \"none\", \"attacks\": [{\"method\": \"fgsm\"}]}";
      HttpApi.Response anonymous = api.postJson("/api/v1/evaluations", body);
      assertThat(anonymous.status()).isEqualTo(401);
      HttpApi.Response cancel = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/evaluations/x"))
          .DELETE());
      assertThat(cancel.status()).isEqualTo(401);
      HttpApi.Response admin = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/evaluations"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(admin.status()).as("past security: the data set does not exist").isEqualTo(404);
      assertThat(api.get("/api/v1/evaluations").status()).isEqualTo(200);
    }
  }

  @Test
  void byDefaultEvaluationsAreOpen() {
    try (TestServer server = new TestServer(Map.of("advlab.model.url", TestRequirements.sharedModel("digits").toString(),
        "advlab.security.admin-token", TOKEN))) {
      TestServer.awaitSettled(server.api());
      HttpApi.Response anonymous = server.api().postJson("/api/v1/evaluations",
          "{\"dataset\": \"none\", \"attacks\": [{\"method\": \"fgsm\"}]}");
      assertThat(anonymous.status()).isEqualTo(404);
    }
  }
}
