package io.advlab.training;

import ai.djl.Device;
import io.advlab.model.Preprocessing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Manual probe: bench/run.sh io.advlab.training.TrainingSpeedProbe pgd 1 400. */
public final class TrainingSpeedProbe {
  public static void main(String[] args) throws Exception {
    Path shared = Path.of(System.getProperty("advlab.shared.dir", "../shared"));
    String method = args.length > 0 ? args[0] : "pgd";
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int perClass = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    TrainingData train = DigitsData.load(shared.resolve("images/digits/train"), perClass);
    TrainingData test = DigitsData.load(shared.resolve("images/digits/test"), 50);
    TrainingProperties limits = new TrainingProperties(true, 2, 50, 50, 512, 100000, Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    Recipe recipe = Recipe.parse(method, Map.of("eps", 0.1, "stepSize", 0.025, "steps", 7, "epochs", epochs,
        "learningRate", 1e-4), 1, limits);
    Preprocessing p = new Preprocessing(32, 32, 32, false, new float[] {.5f, .5f, .5f}, new float[] {.5f, .5f, .5f});
    int batches = TrainingLoop.batches(train.size(), recipe.batchSize());
    Path dir = Files.createTempDirectory("probe");
    try (TrainableNetwork net = new TrainableNetwork(shared.resolve("models/digits/digits.pt"), Device.cpu(), p, recipe,
        new LearningRate(recipe.schedule(), recipe.learningRate(), batches * epochs, 0), Duration.ofSeconds(1))) {
      TrainingLoop loop = new TrainingLoop(net, recipe, train, test, 32, 32);
      double[] before = loop.validate();
      System.out.println("before: clean " + before[0] + " robust " + before[1]);
      TrainingLoop.Outcome o = loop.run(List.of(), new TrainingLoop.Listener() {
        public void batch(int epoch, int batch, int n, double loss, double acc) {
          if (batch % 20 == 0) System.out.println("  " + epoch + " " + batch + "/" + n + " loss " + loss + " acc " + acc);
        }
        public boolean cancelled() { return false; }
        public Path checkpoint(int epoch) { return dir.resolve("epoch-" + epoch + ".pt"); }
        public void epoch(EpochFigures f) { System.out.println(f); }
      });
      System.out.println(o);
    }
  }
}
