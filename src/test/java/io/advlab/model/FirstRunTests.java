package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.advlab.support.HttpApi;
import io.advlab.support.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What a newcomer gets from a fresh clone with no settings and no {@code ../shared}: the bundled
 * digits demo serves, the zoo's ResNet18 is FAILED with a reason in words when the zoo cannot be
 * reached (READY where it can), readiness is up, and the README's examples work. Also the
 * loading path of a model archive from an HTTP URL, as the zoo download uses it.
 */
class FirstRunTests {

  @TempDir
  Path store;

  @Test
  void withNoSettingsTheDemoModelServesAndTheZooModelExplainsItself() throws Exception {
    try (TestServer server = new TestServer(Map.of("advlab.store.dir", store.toString(),
        "spring.datasource.url", "${advlab.database.default-url}"))) {
      HttpApi api = server.api();
      JsonNode models = TestServer.awaitSettled(api);
      assertThat(models.get("defaultModel").asString()).isEqualTo("resnet18");
      assertThat(TestServer.state(models, "digits", 1)).isEqualTo("READY");
      JsonNode resnet = models.get("models").get(1).get("versions").get(0);
      assertThat(models.get("models").get(1).get("name").asString()).isEqualTo("resnet18");
      if (resnet.get("state").asString().equals("FAILED")) {
        assertThat(resnet.get("reason").asString()).contains("cannot reach the DJL model zoo (no network)");
        HttpApi.Response noDefault = api.postImage("/api/v1/classifications", digit(7), "7.png");
        assertThat(noDefault.status()).isEqualTo(503);
        assertThat(noDefault.json().get("detail").asString()).contains("resnet18:1 is FAILED", "cannot reach");
        assertThat(noDefault.json().get("readyModels").toString()).contains("digits:1");
      } else {
        assertThat(resnet.get("state").asString()).isEqualTo("READY");
      }
      HttpApi.Response readiness = api.get("/actuator/health/readiness");
      assertThat(readiness.status()).isEqualTo(200);
      assertThat(readiness.json().get("status").asString()).isEqualTo("UP");

      HttpApi.Response seven = api.postImage("/api/v1/classifications", digit(7), "7.png", Map.of("model", "digits"));
      assertThat(seven.status()).as(seven.body()).isEqualTo(200);
      assertThat(seven.json().get("predictions").get(0).get("label").asString()).isEqualTo("7");
      assertThat(seven.json().get("model").get("id").asString()).isEqualTo("digits:1");

      HttpApi.Response attack = api.postImage("/api/v1/attacks", digit(7), "7.png",
          Map.of("model", "digits", "method", "pgd", "params", "{\"eps\": 0.1, \"steps\": 20}"));
      assertThat(attack.status()).as(attack.body()).isEqualTo(200);
      assertThat(attack.json().get("success").asBoolean()).isTrue();
      assertThat(attack.json().get("adversarial").get("predictions").get(0).get("label").asString()).isNotEqualTo("7");
      assertThat(attack.json().get("model").get("id").asString()).isEqualTo("digits:1");
    }
  }

  @Test
  void aModelArchiveServedOverHttpLoads() throws Exception {
    byte[] zip = ModelRegistryApiTests.zip(Map.of(
        "digits.pt", resource("models/digits/digits.pt"),
        "synset.txt", resource("models/digits/synset.txt"),
        "serving.properties", resource("models/digits/serving.properties")));
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
    http.createContext("/models/digits.zip", ex -> {
      ex.getResponseHeaders().set("Content-Type", "application/zip");
      ex.sendResponseHeaders(200, zip.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(zip);
      }
    });
    http.start();
    String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/models/digits.zip";
    try (TestServer server = new TestServer(Map.of("advlab.store.dir", store.toString(),
        "advlab.models[0].name", "remote-digits", "advlab.models[0].url", url))) {
      JsonNode models = TestServer.awaitSettled(server.api());
      assertThat(TestServer.state(models, "remote-digits", 1)).as(models.toString()).isEqualTo("READY");
      HttpApi.Response three = server.api().postImage("/api/v1/classifications", digit(3), "3.png");
      assertThat(three.json().get("predictions").get(0).get("label").asString()).isEqualTo("3");
    } finally {
      http.stop(0);
    }
  }

  private static byte[] digit(int d) throws IOException {
    return Files.readAllBytes(Path.of("samples", "digits", d + ".png"));
  }

  private static byte[] resource(String name) throws IOException {
    try (var in = FirstRunTests.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
