package io.advlab.peer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One multipart upload of a file part {@code image} plus text fields, sent again on each call over
 * HTTP/1.1: uvicorn answers the Java client's default h2c upgrade attempt with a 400, and both
 * servers must be measured over the same protocol.
 */
final class Upload implements Callable<Integer> {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final HttpRequest request;

  Upload(String url, byte[] image, Map<String, String> fields) {
    String boundary = "advlab-peer-bench";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    fields.forEach((name, value) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
        + name + "\"\r\n\r\n" + value + "\r\n"));
    write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\n");
    body.writeBytes(image);
    write(body, "\r\n--" + boundary + "--\r\n");
    this.request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
  }

  /** Sends the upload; returns the status, failing on anything but 200. */
  @Override
  public Integer call() throws Exception {
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode() + " from " + request.uri() + ": "
          + response.body());
    }
    return response.statusCode();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
