package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent requests share forward passes, get their own logits, and a full queue says 503. */
@RequiresSharedModel("digits")
class InferenceBatcherTests {

  private static ClassifierModel model;

  @BeforeAll
  static void load() {
    model = new ModelLoader(properties(8, Duration.ofMillis(50), 64)).load();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static ModelProperties properties(int maxBatch, Duration delay, int queue) {
    return properties(1, maxBatch, delay, queue);
  }

  private static ModelProperties properties(int workers, int maxBatch, Duration delay, int queue) {
    return new ModelProperties(TestRequirements.sharedModel("digits").toString(), "", "cpu", workers, 0, maxBatch, delay,
        queue, Duration.ofSeconds(30));
  }

  @Test
  void concurrentRequestsAreBatchedAndEachGetsItsOwnLogits() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<float[]> inputs = randomInputs(16);
    List<float[]> alone;
    try (InferenceBatcher sequential = new InferenceBatcher(model, properties(1, Duration.ZERO, 64), new SimpleMeterRegistry())) {
      alone = new ArrayList<>();
      for (float[] input : inputs) {
        alone.add(sequential.logits(input));
      }
    }
    try (InferenceBatcher batcher = new InferenceBatcher(model, properties(8, Duration.ofMillis(50), 64), registry)) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<float[]>> futures = new ArrayList<>();
      for (float[] input : inputs) {
        futures.add(pool.submit((Callable<float[]>) () -> batcher.logits(input)));
      }
      for (int i = 0; i < inputs.size(); i++) {
        assertThat(futures.get(i).get()).usingComparatorWithPrecision(1e-4f).containsExactly(alone.get(i));
      }
      pool.shutdown();
      var sizes = registry.get("advlab.inference.batch.size").summary();
      assertThat(sizes.max()).as("largest batch").isGreaterThan(1);
      assertThat(sizes.count()).as("forward passes for 16 requests").isLessThan(16);
    }
  }

  @Test
  void fullQueueAnswersOverloaded() throws Exception {
    try (InferenceBatcher batcher = new InferenceBatcher(model, properties(1, Duration.ZERO, 1), new SimpleMeterRegistry())) {
      List<float[]> many = randomInputs(200);
      assertThatThrownBy(() -> batcher.logitsTogether(many))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.OVERLOADED);
            assertThat(e.properties()).containsEntry("retryAfterSeconds", 1);
          });
    }
  }

  private static List<float[]> randomInputs(int n) {
    Random random = new Random(1);
    List<float[]> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] x = new float[model.preprocessing().inputSize()];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextFloat();
      }
      out.add(x);
    }
    return out;
  }
}
