package io.advlab.support;

import io.advlab.AdvlabApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The service started in-process on a shared model and a free port, for the benchmark programs. */
public final class BenchmarkServer {

  private BenchmarkServer() {}

  /** Starts advlab on {@code ../shared/models/<modelName>}; exits with 2 and a message when it is absent. */
  public static ConfigurableApplicationContext start(String modelName) {
    Path model = TestRequirements.sharedModel(modelName);
    if (!Files.isDirectory(model)) {
      System.err.println("No model at " + model + ": put ../shared beside the checkout or set ADVLAB_SHARED_DIR.");
      System.exit(2);
    }
    return new SpringApplication(AdvlabApplication.class).run("--server.port=0", "--advlab.model.url=" + model,
        "--logging.level.root=WARN");
  }

  public static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
