package io.advlab.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.ImageServer;
import io.advlab.support.TestImages;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad input over real HTTP against the {@code digits} model, each answered with
 * the right 4xx and an RFC 9457 problem+json body; plus the allow-listed loopback URL that works.
 * This context allow-lists {@code 127.0.0.1} and {@code localhost} (see {@link DigitsServerTest}).
 */
class BadInputTests extends DigitsServerTest {

  private static final String PATH = "/api/v1/classifications";
  private static byte[] digit;
  private static ImageServer images;

  @BeforeAll
  static void startImageServer() throws IOException {
    Path three = TestRequirements.digitsTestDir().resolve("3");
    try (var files = Files.list(three)) {
      digit = Files.readAllBytes(files.sorted().findFirst().orElseThrow());
    }
    images = new ImageServer(digit);
  }

  @AfterAll
  static void stopImageServer() {
    images.close();
  }

  // ---- URLs -------------------------------------------------------------------------------

  @Test
  void allowListedLoopbackUrlIsClassifiedLikeTheUpload() {
    HttpApi.Response byUrl = api().postJson(PATH, Map.of("url", images.url("/image.png")));
    HttpApi.Response byUpload = api().postImage(PATH, digit, "3.png");
    assertThat(byUrl.status()).as(byUrl.body()).isEqualTo(200);
    assertThat(byUrl.json().get("predictions")).hasSize(5);
    assertThat(byUrl.json().get("predictions")).isEqualTo(byUpload.json().get("predictions"));
    HttpApi.Response byFormField = api().postImage(PATH, null, null, Map.of("url", images.localhostUrl("/octet")));
    assertThat(byFormField.status()).as(byFormField.body()).isEqualTo(200);
  }

  @Test
  void metadataAddressIsBlocked() {
    assertProblem(api().postJson(PATH, Map.of("url", "http://169.254.169.254/latest/meta-data/")), 400, "url-not-allowed", "url");
  }

  @Test
  void ipv4MappedLoopbackIsBlockedEvenThough127001IsAllowListed() {
    assertProblem(api().postJson(PATH, Map.of("url", "http://[::ffff:127.0.0.1]:" + images.port() + "/image.png")),
        400, "url-not-allowed", "url");
    assertProblem(api().postImage(PATH, null, null, Map.of("url", "http://[::1]:" + images.port() + "/image.png")),
        400, "url-not-allowed", "url");
  }

  @Test
  void redirectFromAnAllowedHostToABlockedAddressIsBlocked() {
    String toLoopback = "http://127.0.0.2:" + images.port() + "/image.png";
    assertProblem(api().postJson(PATH, Map.of("url", images.url("/redirect?to=" + encode(toLoopback)))),
        400, "url-not-allowed", "url");
    assertProblem(api().postJson(PATH, Map.of("url", images.localhostUrl("/redirect?to="
        + encode("http://169.254.169.254/latest/meta-data/")))), 400, "url-not-allowed", "url");
  }

  @Test
  void nonHttpSchemesAreRefused() {
    assertProblem(api().postJson(PATH, Map.of("url", "ftp://127.0.0.1/digit.png")), 400, "invalid-request", "url");
    assertProblem(api().postJson(PATH, Map.of("url", "file:///etc/passwd")), 400, "invalid-request", "url");
  }

  @Test
  void tooManyRedirectsFail() {
    assertThat(api().postJson(PATH, Map.of("url", images.url("/chain/3"))).status()).isEqualTo(200);
    assertProblem(api().postJson(PATH, Map.of("url", images.url("/chain/4"))), 422, "url-fetch-failed", "url");
  }

  @Test
  void bodyOverTheCapIs413() {
    long elevenMb = 11L * 1024 * 1024;
    assertProblem(api().postJson(PATH, Map.of("url", images.url("/huge?bytes=" + elevenMb))), 413, "image-too-large", "url");
  }

  @Test
  void webPageIs415AndUpstreamErrorIs422() {
    assertProblem(api().postJson(PATH, Map.of("url", images.url("/html"))), 415, "unsupported-image", "url");
    assertProblem(api().postJson(PATH, Map.of("url", images.url("/missing"))), 422, "url-fetch-failed", "url");
  }

  // ---- uploads and parameters -------------------------------------------------------------

  @Test
  void pixelBombHeaderIsRefusedBeforeDecoding() {
    HttpApi.Response response = api().postImage(PATH, TestImages.pngHeader(30_000, 30_000), "bomb.png");
    assertProblem(response, 413, "image-dimensions-too-large", null);
    assertThat(response.json().get("detail").asString()).contains("30000x30000");
  }

  @Test
  void truncatedJpegIs422() {
    assertProblem(api().postImage(PATH, TestImages.truncatedJpeg(0.6), "cut.jpg"), 422, "corrupt-image", null);
  }

  @Test
  void notAnImageIs415() {
    assertProblem(api().postImage(PATH, TestImages.randomBytes(4096, 5), "noise.jpg"), 415, "unsupported-image", null);
    assertProblem(api().postJson(PATH, Map.of("imageBase64", Base64.getEncoder().encodeToString("hello".getBytes()))),
        415, "unsupported-image", null);
  }

  @Test
  void uploadOverTenMegabytesIs413() {
    assertProblem(api().postImage(PATH, new byte[11 * 1024 * 1024], "big.png"), 413, "image-too-large", null);
  }

  @Test
  void base64OverTheImageLimitIs413AndJsonOverTheBodyLimitToo() {
    String elevenMb = Base64.getEncoder().encodeToString(new byte[11 * 1024 * 1024]);
    assertProblem(api().postJson(PATH, Map.of("imageBase64", elevenMb)), 413, "image-too-large", null);
    String seventeenMb = "A".repeat(17 * 1024 * 1024);
    assertProblem(api().postJson(PATH, "{\"imageBase64\":\"" + seventeenMb + "\"}"), 413, "request-too-large", null);
  }

  @Test
  void badBase64Is400NamingTheField() {
    assertProblem(api().postJson(PATH, Map.of("imageBase64", "this is *not* base64")), 400, "invalid-request", "imageBase64");
  }

  @Test
  void topKOutOfRangeIs400NamingTheField() {
    for (String topK : new String[] {"0", "1001"}) {
      assertProblem(api().postImage(PATH, digit, "3.png", Map.of("topK", topK)), 400, "invalid-request", "topK");
      assertProblem(api().postJson(PATH, "{\"imageBase64\":\"" + Base64.getEncoder().encodeToString(digit)
          + "\",\"topK\":" + topK + "}"), 400, "invalid-request", "topK");
    }
    assertProblem(api().postImage(PATH, digit, "3.png", Map.of("topK", "five")), 400, "invalid-request", "topK");
  }

  @Test
  void bothFileAndUrlIs400() {
    assertProblem(api().postImage(PATH, digit, "3.png", Map.of("url", images.url("/image.png"))), 400, "invalid-request", "image");
    assertProblem(api().postJson(PATH, Map.of("url", images.url("/image.png"), "imageBase64",
        Base64.getEncoder().encodeToString(digit))), 400, "invalid-request", "image");
  }

  @Test
  void noImageIs400() {
    assertProblem(api().postImage(PATH, null, null, Map.of("topK", "3")), 400, "missing-image", null);
    assertProblem(api().postJson(PATH, "{}"), 400, "missing-image", null);
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(api().postJson(PATH, "{\"url\": "), 400, "invalid-request", null);
    assertProblem(api().postJson(PATH, "{\"topK\": \"many\"}"), 400, "invalid-request", null);
  }

  @Test
  void unsupportedContentTypeIs415() {
    HttpApi.Response response = api().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("http://example.com/cat.jpg")));
    assertProblem(response, 415, "unsupported-media-type", null);
  }

  /** Status, problem+json content type, and the RFC 9457 members; {@code field} when given. */
  static void assertProblem(HttpApi.Response response, int status, String slug, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("type").asString()).isEqualTo("https://advlab.io/problems/" + slug);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
    if (field != null) {
      assertThat(problem.get("field").asString()).as(response.body()).isEqualTo(field);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
