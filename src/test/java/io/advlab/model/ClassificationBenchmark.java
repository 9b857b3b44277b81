package io.advlab.model;

import ai.djl.inference.Predictor;
import io.advlab.support.BenchmarkServer;
import io.advlab.support.TestRequirements;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Classification throughput through HTTP at concurrency 1, 4 and 8 next to bare in-process
 * batched forward passes of the same model, and their ratio (issue goal: HTTP at concurrency 8
 * reaches at least 80% of in-process). Not a test: run {@code bench/run.sh classify [seconds]}.
 *
 * <p>The client uploads a 256x256 JPEG cut from a shared photo, so the HTTP figures include
 * multipart parsing, JPEG decoding, resizing and JSON; the in-process figure is the forward pass
 * alone on preprocessed tensors, batch {@code advlab.model.max-batch-size} (8), as many
 * predictors as the server's worker pool.
 */
public final class ClassificationBenchmark {

  private ClassificationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    String modelName = args.length > 1 ? args[1] : "resnet18-untrained";
    byte[] jpeg = sampleJpeg();

    try (ConfigurableApplicationContext context = BenchmarkServer.start(modelName)) {
      int port = BenchmarkServer.port(context);
      ClassifierModel classifier = BenchmarkServer.model(context);
      ModelProperties properties = context.getBean(ModelProperties.class);
      int workers = properties.effectiveWorkers();
      int batch = properties.maxBatchSize();

      System.out.printf(Locale.ROOT, "model %s on %s, %d workers, max batch %d, %d s per figure, %d cores%n",
          modelName, classifier.device(), workers, batch, seconds, Runtime.getRuntime().availableProcessors());
      double inProcess = inProcess(classifier, workers, batch, seconds);
      System.out.printf(Locale.ROOT, "in-process batched forward (batch %d, %d predictors): %8.1f images/s%n",
          batch, workers, inProcess);
      double last = 0;
      for (int concurrency : new int[] {1, 4, 8}) {
        last = http(port, jpeg, concurrency, seconds);
        System.out.printf(Locale.ROOT, "HTTP classify, concurrency %d: %8.1f images/s  (%.0f%% of in-process)%n",
            concurrency, last, 100 * last / inProcess);
      }
      System.out.printf(Locale.ROOT, "ratio HTTP@8 / in-process = %.2f (goal >= 0.80)%n", last / inProcess);
    }
  }

  /** Forward passes of full batches on {@code predictors} threads, as the worker pool does. */
  static double inProcess(ClassifierModel model, int predictors, int batch, int seconds) throws Exception {
    Preprocessing p = model.preprocessing();
    float[][] inputs = new float[batch][3 * p.height() * p.width()];
    java.util.Random random = new java.util.Random(1);
    for (float[] input : inputs) {
      for (int i = 0; i < input.length; i++) {
        input[i] = random.nextFloat();
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(predictors);
    try {
      List<Future<Long>> counts = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      long start = System.nanoTime();
      for (int t = 0; t < predictors; t++) {
        counts.add(pool.submit(() -> {
          long images = 0;
          try (Predictor<float[][], float[][]> predictor =
              model.inference().newPredictor(new BatchTranslator(model.preprocessing()))) {
            predictor.predict(inputs);
            while (!stop.get()) {
              predictor.predict(inputs);
              images += batch;
            }
          }
          return images;
        }));
      }
      return measure(counts, stop, start, seconds);
    } finally {
      pool.shutdownNow();
    }
  }

  static double http(int port, byte[] jpeg, int concurrency, int seconds) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String boundary = "advlab-bench";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"b.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\n").getBytes());
    body.writeBytes(jpeg);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/classifications"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    for (int i = 0; i < 10; i++) {
      send(client, request);
    }
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<Long>> counts = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      long start = System.nanoTime();
      for (int t = 0; t < concurrency; t++) {
        counts.add(pool.submit(() -> {
          long images = 0;
          while (!stop.get()) {
            send(client, request);
            images++;
          }
          return images;
        }));
      }
      return measure(counts, stop, start, seconds);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void send(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
    }
  }

  private static double measure(List<Future<Long>> counts, AtomicBoolean stop, long start, int seconds)
      throws Exception {
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    long total = 0;
    for (Future<Long> count : counts) {
      total += count.get();
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }

  /** A 256x256 JPEG from the first shared photo (or a synthetic gradient when photos are absent). */
  private static byte[] sampleJpeg() throws Exception {
    BufferedImage source = null;
    Path photos = TestRequirements.photosDir();
    if (Files.isDirectory(photos)) {
      try (Stream<Path> files = Files.list(photos)) {
        for (Path file : files.filter(f -> f.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList()) {
          source = ImageIO.read(file.toFile());
          if (source != null) {
            break;
          }
        }
      }
    }
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    if (source != null) {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, 256, 256, null);
    } else {
      g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.RED, 256, 256, java.awt.Color.BLUE));
      g.fillRect(0, 0, 256, 256);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }
}
