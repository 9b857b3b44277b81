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

  /**
   * Starts advlab on {@code ../shared/models/<modelName>} with {@code extraArgs} ({@code --key=value});
   * exits with 2 and a message when the model is absent.
   */
  public static ConfigurableApplicationContext start(String modelName, String... extraArgs) {
    Path model = TestRequirements.sharedModel(modelName);
    if (!Files.isDirectory(model)) {
      System.err.println("No model at " + model + ": put ../shared beside the checkout or set ADVLAB_SHARED_DIR.");
      System.exit(2);
    }
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0",
        "--advlab.model.url=" + model, "--logging.level.root=WARN"));
    args.addAll(java.util.List.of(extraArgs));
    ConfigurableApplicationContext context = new SpringApplication(AdvlabApplication.class).run(args.toArray(String[]::new));
    TestServer.awaitModels(new HttpApi("http://127.0.0.1:" + port(context)),
        models -> "READY".equals(TestServer.state(models, modelName, 1)), java.time.Duration.ofMinutes(5));
    return context;
  }

  /**
   * The served model's network, for the in-process baselines. The benchmark holds no lease: it
   * runs while the model is served and nothing unloads it.
   */
  public static io.advlab.model.ClassifierModel model(ConfigurableApplicationContext context) {
    try (var lease = context.getBean(io.advlab.model.ModelRegistry.class).acquire((String) null)) {
      return lease.served().model();
    }
  }

  public static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
