package io.advlab.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain JDK HTTP client for tests that talk to the service over real HTTP. */
public final class HttpApi {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  public HttpApi(String base) {
    this.base = base;
  }

  /** Status, headers and body of one exchange; {@link #json()} parses the body. */
  public record Response(int status, HttpResponse<byte[]> raw) {
    public JsonNode json() {
      return JSON.readTree(raw.body());
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }

    public String body() {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String base() {
    return base;
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Response postJson(String path, Object body) {
    String json = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Multipart with one file part named {@code image} (when bytes are given) and text fields. */
  public Response postImage(String path, byte[] image, String filename, Map<String, String> fields) {
    String boundary = "advlab-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach((name, value) -> write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
        + name + "\"\r\n\r\n" + value + "\r\n"));
    if (image != null) {
      write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
      out.writeBytes(image);
      write(out, "\r\n");
    }
    write(out, "--" + boundary + "--\r\n");
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
  }

  public Response postImage(String path, byte[] image, String filename) {
    return postImage(path, image, filename, Map.of());
  }

  public Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = CLIENT.send(request.timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
