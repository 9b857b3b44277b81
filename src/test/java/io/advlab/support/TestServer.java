package io.advlab.support;

import io.advlab.AdvlabApplication;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The whole service started in-process on a random port with the given properties, for tests that
 * stop and start it (a restart over the same model store) or need settings no other test shares.
 */
public final class TestServer implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final HttpApi api;

  /** Starts the service with {@code properties} as command-line arguments (above application.yml). */
  public TestServer(Map<String, Object> properties) {
    Map<String, Object> all = new java.util.HashMap<>(properties);
    all.putIfAbsent("server.port", 0);
    String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    this.context = new SpringApplicationBuilder(AdvlabApplication.class).run(args);
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    this.api = new HttpApi("http://127.0.0.1:" + port);
  }

  public HttpApi api() {
    return api;
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }

  /**
   * Polls {@code GET /api/v1/models} until {@code done} holds for the model list (at most
   * {@code limit}); returns the last list.
   */
  public static JsonNode awaitModels(HttpApi api, Predicate<JsonNode> done, Duration limit) {
    long until = System.nanoTime() + limit.toNanos();
    JsonNode models = null;
    while (System.nanoTime() < until) {
      models = api.get("/api/v1/models").json();
      if (done.test(models)) {
        return models;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("models did not reach the expected state within " + limit + ": " + models);
  }

  /** The state of {@code name:version} in a model list, or null. */
  public static String state(JsonNode models, String name, int version) {
    for (JsonNode model : models.get("models")) {
      if (model.get("name").asString().equals(name)) {
        for (JsonNode v : model.get("versions")) {
          if (v.get("version").asInt() == version) {
            return v.get("state").asString();
          }
        }
      }
    }
    return null;
  }

  /** Waits until no version is LOADING any more. */
  public static JsonNode awaitSettled(HttpApi api) {
    return awaitModels(api, models -> !models.toString().contains("\"LOADING\""), Duration.ofMinutes(3));
  }
}
