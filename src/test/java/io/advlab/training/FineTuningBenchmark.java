package io.advlab.training;

import ai.djl.Device;
import io.advlab.model.Preprocessing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seconds per training epoch of advlab's loop next to the plain-PyTorch peer
 * ({@code bench/peer/finetune.py}, Debian's python3-torch) on the same TorchScript file, images and
 * recipe, one after the other on the same CPU with the same threads:
 * {@code bench/run.sh finetune [method] [epochs] [images]} (defaults: pgd, 1, 4000).
 * Training time only (validation and loading excluded), as both sides print it.
 */
public final class FineTuningBenchmark {

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(System.getProperty("advlab.shared.dir", "../shared"));
    String method = args.length > 0 ? args[0] : "pgd";
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int images = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
    int threads = Integer.getInteger("advlab.model.threads", 2);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    double advlab = advlab(shared, method, epochs, images);
    double peer = peer(shared, method, epochs, images, threads);
    System.out.printf(Locale.ROOT, "finetune %s, %d images, %d thread(s): advlab %.2f s/epoch, plain PyTorch %.2f"
        + " s/epoch, ratio %.2f%n", method, images, threads, advlab, peer, advlab / peer);
  }

  private static double advlab(Path shared, String method, int epochs, int images) throws Exception {
    TrainingData all = DigitsData.load(shared.resolve("images/digits/train"), 400);
    TrainingData train = all.subset(TrainingData.shuffled(all.size(), 0).subList(0, Math.min(images, all.size())));
    TrainingData validation = DigitsData.load(shared.resolve("images/digits/test"), 1);
    TrainingProperties limits = new TrainingProperties(true, 2, 50, 50, 512, 100000, Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    Recipe recipe = Recipe.parse(method, Map.of("eps", 0.1, "epochs", epochs, "learningRate", 1e-4), 0, limits);
    Preprocessing p = new Preprocessing(32, 32, 32, false, new float[] {.5f, .5f, .5f}, new float[] {.5f, .5f, .5f});
    Path dir = Files.createTempDirectory("advlab-finetune-bench");
    List<Double> seconds = new ArrayList<>();
    try (TrainableNetwork net = new TrainableNetwork(shared.resolve("models/digits/digits.pt"), Device.cpu(), p, recipe,
        new LearningRate(recipe.schedule(), recipe.learningRate(), 1, 0), Duration.ofSeconds(1))) {
      new TrainingLoop(net, recipe, train, validation, 32, 32).run(List.of(), new TrainingLoop.Listener() {
        @Override
        public void batch(int epoch, int batch, int batches, double loss, double accuracy) {}

        @Override
        public boolean cancelled() {
          return false;
        }

        @Override
        public Path checkpoint(int epoch) {
          return dir.resolve("epoch-" + epoch + ".pt");
        }

        @Override
        public void epoch(EpochFigures figures) {
          System.out.println("advlab " + figures);
          seconds.add(figures.seconds());
        }
      });
    }
    return seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static double peer(Path shared, String method, int epochs, int images, int threads)
      throws IOException, InterruptedException {
    Process process = io.advlab.peer.PythonPeer.withGlibcDefaults(new ProcessBuilder("/usr/bin/python3",
        "bench/peer/finetune.py", "--model", shared.resolve("models/digits").toString(), "--train",
        shared.resolve("images/digits/train").toString(), "--test", shared.resolve("images/digits/test").toString(),
        "--method", method, "--eps", "0.1", "--epochs", Integer.toString(epochs), "--limit",
        Integer.toString(images), "--threads", Integer.toString(threads), "--no-test"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Double> seconds = new ArrayList<>();
    for (String line : new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
      System.out.println("peer " + line);
      if (line.startsWith("epoch ")) {
        seconds.add(Double.parseDouble(line.split(" ")[3]));
      }
    }
    if (process.waitFor() != 0 || seconds.isEmpty()) {
      throw new IllegalStateException("the peer failed (apt-get install -y python3-torch)");
    }
    return seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
