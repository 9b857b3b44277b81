package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.defence.Defence;
import io.advlab.defence.Draw;
import ai.djl.ndarray.NDManager;
import io.advlab.model.ClassifierModel;
import io.advlab.model.Predictions;
import io.advlab.model.TestModels;
import io.advlab.model.TorchThread;
import io.advlab.support.TestRequirements;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's batched gradients equal each row's gradient computed alone (on the digits CNN and
 * on ResNet18, whose BatchNorm must stay in eval mode), concurrent submissions are batched, and a
 * full queue answers 503.
 */
class GradientSchedulerTests {

  private static final AttackProperties PROPERTIES =
      scheduling(64, 64, Duration.ofMillis(50));

  /** Attack properties with the given queue, batch size and gather delay, and generous deadlines. */
  private static AttackProperties scheduling(int queueSize, int maxBatchSize, Duration maxBatchDelay) {
    return new AttackProperties(Duration.ofSeconds(30), Duration.ofSeconds(60), 1000, queueSize, maxBatchSize,
        maxBatchDelay, AttackProperties.StateOnDevice.AUTO);
  }

  @Test
  void batchedGradientsEqualSoloGradientsOnDigits() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      assertBatchedEqualsSolo(scheduler, rows(model, 6, 1));
    }
  }

  @Test
  void batchedGradientsEqualSoloGradientsOnResnetWithBatchNorm() throws Exception {
    TestRequirements.assumeSharedModel("resnet18-untrained");
    try (ClassifierModel model = TestModels.load("resnet18-untrained");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      assertBatchedEqualsSolo(scheduler, rows(model, 3, 2));
    }
  }

  /**
   * On a CPU, DeepFool's candidate rows at one point share a forward pass, so they take one row of
   * {@code max-batch-size}: a step of 9 candidates runs under a batch size of 4 (counted as rows it
   * was refused), while EOT draws and other points still count one each.
   */
  @Test
  void candidatesAtOnePointTakeOneRowOfTheBatchOnACpu() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    AttackProperties four = scheduling(64, 4, Duration.ofMillis(1));
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, four, new SimpleMeterRegistry())) {
      org.junit.jupiter.api.Assumptions.assumeFalse(model.device().isGpu(),
          "on a GPU every candidate is a network input of its own (a batched pass, not a shared forward)");
      List<GradientRow> two = rows(model, 2, 3);
      float[] point = two.get(0).input();
      List<GradientRow> candidates = new ArrayList<>();
      for (int k = 1; k < 10; k++) {
        candidates.add(new GradientRow(point, Objective.margin(k, 0)));
      }
      assertThat(scheduler.networkRows(candidates)).isEqualTo(1);
      assertThat(scheduler.networkRows(List.of(candidates.get(0), two.get(1)))).isEqualTo(2);
      Defence defence = Defence.parse(Map.of("type", "randomization"), 32);
      List<Draw> draws = defence.judgingDraws(32, 32).subList(0, 3);
      assertThat(scheduler.networkRows(Eot.expand(List.of(candidates.get(0).withDraws(draws),
          candidates.get(1).withDraws(draws))))).as("two candidates through the same 3 draws").isEqualTo(3);

      List<GradientResult> results = scheduler.submit(candidates).get();
      assertThat(results).hasSize(9).allSatisfy(r -> assertThat(Pixels.l2(r.gradient())).isGreaterThan(0));
      GradientResult alone = scheduler.gradients(List.of(candidates.get(4))).get(0);
      assertThat(results.get(4).gradient()).containsExactly(alone.gradient(), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void interactiveStepsDoNotWaitForBackgroundAttacks() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    AttackProperties slowGather = scheduling(64, 64, Duration.ofSeconds(2));
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, slowGather, new SimpleMeterRegistry());
        GradientScheduler.Session evaluation = scheduler.open(true)) {
      GradientRow row = rows(model, 1, 8).get(0);
      try (GradientScheduler.Session request = scheduler.open(false)) {
        long start = System.nanoTime();
        request.submit(List.of(row)).get();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds an interactive step waited for a background attack")
            .isLessThan(1.0);
      }
      try (GradientScheduler.Session otherImage = scheduler.open(true)) {
        long start = System.nanoTime();
        otherImage.submit(List.of(row)).get();
        assertThat((System.nanoTime() - start) / 1e9).as("background steps do not wait for each other either")
            .isLessThan(1.0);
      }
      try (GradientScheduler.Session a = scheduler.open(false); GradientScheduler.Session b = scheduler.open(false)) {
        long start = System.nanoTime();
        a.submit(List.of(row)).get();
        assertThat((System.nanoTime() - start) / 1e9).as("interactive steps wait for each other's (to share passes)")
            .isGreaterThan(1.5);
      }
    }
  }

  /**
   * A background step (an evaluation's lanes) runs on its caller's thread while no interactive
   * attack runs and the scheduler is idle, measured like any pass; while an interactive attack
   * runs it is queued, so the scheduler's thread can put the two in one pass. Its results are the
   * queued path's, bit for bit.
   */
  @Test
  void backgroundStepsRunInPlaceOnlyWhileNoInteractiveAttackRuns() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, registry);
        GradientScheduler.Session evaluation = scheduler.open(true)) {
      List<GradientRow> rows = rows(model, 3, 31);
      CompletableFuture<List<GradientResult>> inPlace = evaluation.submit(rows);
      assertThat(inPlace).as("the pass ran before submit returned").isDone();
      assertThat(registry.get("advlab.gradient.batch.size").summary().totalAmount()).isEqualTo(3.0);
      assertThat(registry.get("advlab.gradient.step").timer().count()).isEqualTo(1);

      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try (GradientScheduler.Session request = scheduler.open(false)) {
        // every gradient pass of the JVM waits while this holds the gradient lock
        threads.submit(() -> model.gradient().exclusive(collector -> {
          held.countDown();
          try {
            return release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }));
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<GradientResult>> queued = threads.submit(() -> evaluation.submit(rows))
            .get(5, TimeUnit.SECONDS);
        assertThat(queued).as("queued for the scheduler's thread, not run by its caller").isNotDone();
        release.countDown();
        List<GradientResult> results = queued.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < rows.size(); i++) {
          assertThat(results.get(i).logits()).containsExactly(inPlace.get().get(i).logits());
          assertThat(results.get(i).gradient()).containsExactly(inPlace.get().get(i).gradient());
        }
      } finally {
        release.countDown();
        threads.shutdown();
      }
      assertThat(registry.get("advlab.gradient.step").timer().count()).isEqualTo(2);
    }
  }

  @Test
  void rowsOnALargerCanvasShareAPassWithPlainRows() throws Exception {
    TestRequirements.assumeSharedModel("resnet18-untrained");
    try (ClassifierModel model = TestModels.load("resnet18-untrained");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      List<GradientRow> plain = rows(model, 4, 5);
      io.advlab.defence.Draw larger = new io.advlab.defence.Draw(230, 230, 7, 11, false, 248, 248);
      io.advlab.defence.Draw same = new io.advlab.defence.Draw(210, 210, 3, 5, true, 224, 224);
      List<GradientRow> mixed = List.of(plain.get(0).withDraws(List.of(larger)), plain.get(1),
          plain.get(2).withDraws(List.of(same)), plain.get(3).withDraws(List.of(larger)));
      assertBatchedEqualsSolo(scheduler, mixed);
      GradientResult onCanvas = scheduler.gradients(List.of(mixed.get(0))).get(0);
      GradientResult without = scheduler.gradients(List.of(plain.get(0))).get(0);
      assertThat(relativeDiff(onCanvas.logits(), without.logits())).as("the canvas changes what the network sees")
          .isGreaterThan(1e-3);
    }
  }

  @Test
  void rowsSharingOneInputAreForwardedOnceAndGetEachObjectivesGradient() throws Exception {
    TestRequirements.assumeSharedModel("resnet18-untrained");
    try (ClassifierModel model = TestModels.load("resnet18-untrained");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      float[] point = rows(model, 1, 9).get(0).input();
      float[] other = rows(model, 1, 10).get(0).input();
      // DeepFool's step: one point, one margin per candidate; a PGD row of another image shares the pass.
      List<GradientRow> step = List.of(new GradientRow(point, Objective.margin(3, 7)),
          new GradientRow(other, Objective.raiseLoss(1)), new GradientRow(point, Objective.margin(5, 7)),
          new GradientRow(point, Objective.raiseLoss(2)));
      assertBatchedEqualsSolo(scheduler, step);
      List<GradientResult> shared = scheduler.gradients(step);
      assertThat(relativeDiff(shared.get(0).gradient(), shared.get(2).gradient()))
          .as("two objectives at one point get different gradients (gradients did not pile up across passes)")
          .isGreaterThan(1e-3);
    }
  }

  @Test
  void aRowThatEndsAtItsLogitsGetsNoGradientAndCostsNoBackward() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      List<GradientRow> images = rows(model, 2, 11);
      GradientRow done = GradientRow.until(images.get(0).input(), Objective.raiseLoss(1), logits -> true);
      GradientRow going = GradientRow.until(images.get(1).input(), Objective.raiseLoss(1), logits -> false);
      List<GradientResult> results = scheduler.gradients(List.of(done, going));
      GradientResult plain = scheduler.gradients(List.of(new GradientRow(images.get(0).input(), Objective.raiseLoss(1))))
          .get(0);
      assertThat(results.get(0).gradient()).as("no gradient where the attack ends").isNull();
      assertThat(relativeDiff(results.get(0).logits(), plain.logits())).as("its logits still come back").isLessThan(1e-5);
      assertThat(Pixels.l2(results.get(1).gradient())).as("the other row's gradient").isGreaterThan(0);
      assertThat(scheduler.gradients(List.of(done)).get(0).gradient()).as("a pass of ended rows only").isNull();
    }
  }

  /**
   * Iterates on the device share a pass with host rows (a DeepFool point, a first step at the clean
   * input): the host row gets its gradient, each iterate comes back without one but stepped, and
   * its next point is the one the host loop reaches from the gradient at the same point.
   */
  @Test
  void iteratesOnTheDeviceAreSteppedInThePassAsTheHostLoopStepsThem() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      List<GradientRow> images = rows(model, 3, 21);
      double eps = 0.1;
      List<LinfIterate> onDevice = new ArrayList<>();
      List<LinfIterate> onHost = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        float[] x = images.get(i).input();
        onDevice.add(new LinfIterate(x, new float[x.length], eps, eps / 4));
        onHost.add(new LinfIterate(x, new float[x.length], eps, eps / 4));
      }
      GradientRow host = images.get(2);
      for (int step = 0; step < 3; step++) {
        List<GradientRow> pass = List.of(onDevice.get(0).row(Objective.raiseLoss(1), null), host,
            onDevice.get(1).row(Objective.lowerLoss(4), null));
        List<GradientResult> results = scheduler.gradients(pass);
        assertThat(results.get(0).gradient()).as("an iterate's gradient stays on the device").isNull();
        assertThat(results.get(2).gradient()).isNull();
        GradientResult alone = scheduler.gradients(List.of(host)).get(0);
        assertThat(relativeDiff(results.get(1).gradient(), alone.gradient())).as("the host row beside them")
            .isLessThan(1e-5);
        Objective[] objectives = {Objective.raiseLoss(1), Objective.lowerLoss(4)};
        for (int i = 0; i < 2; i++) {
          GradientResult there = scheduler.gradients(List.of(new GradientRow(onHost.get(i).image(), objectives[i])))
              .get(0);
          assertThat(relativeDiff(results.get(2 * i).logits(), there.logits())).as("logits at iterate %d", i)
              .isLessThan(1e-5);
          onHost.get(i).step(there.gradient());
          assertThat(onDevice.get(i).image()).as("iterate %d after step %d", i, step).isEqualTo(onHost.get(i).image());
        }
      }
      assertThat(Pixels.linf(Pixels.sub(onDevice.get(0).image(), images.get(0).input()))).as("it moved")
          .isGreaterThan(0.05f).isLessThanOrEqualTo((float) (eps + 1e-6));
      onDevice.forEach(LinfIterate::release);
    }
  }

  @Test
  void ownTop1ObjectiveClimbsTheLossOfTheClassItsLogitsRankFirst() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      List<float[]> images = rows(model, 4, 6).stream().map(GradientRow::input).toList();
      List<GradientRow> own = images.stream().map(x -> new GradientRow(x, Objective.raiseLossOfTop1())).toList();
      List<GradientResult> batched = scheduler.gradients(own);
      for (int i = 0; i < images.size(); i++) {
        int top1 = io.advlab.model.Predictions.argmax(batched.get(i).logits());
        GradientResult explicit = scheduler.gradients(List.of(
            new GradientRow(images.get(i), Objective.raiseLoss(top1)))).get(0);
        assertThat(Pixels.l2(explicit.gradient())).as("gradient of image " + i + " is not zero").isGreaterThan(0);
        assertThat(relativeDiff(batched.get(i).gradient(), explicit.gradient())).as("gradient of image " + i)
            .isLessThan(1e-5);
      }
    }
  }

  @Test
  void concurrentStepsShareBatchesAndGetTheirOwnGradients() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, registry)) {
      List<GradientRow> rows = rows(model, 8, 3);
      List<GradientResult> solo = new ArrayList<>();
      for (GradientRow row : rows) {
        solo.add(scheduler.gradients(List.of(row)).get(0));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<GradientScheduler.Session> sessions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          sessions.add(scheduler.open());
        }
        List<Future<List<GradientResult>>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          GradientRow row = rows.get(i);
          futures.add(pool.submit(() -> scheduler.submit(List.of(row)).get()));
        }
        for (int i = 0; i < 8; i++) {
          GradientResult got = futures.get(i).get().get(0);
          assertThat(relativeDiff(got.gradient(), solo.get(i).gradient())).as("gradient of row " + i).isLessThan(1e-5);
          assertThat(relativeDiff(got.logits(), solo.get(i).logits())).as("logits of row " + i).isLessThan(1e-5);
        }
        sessions.forEach(GradientScheduler.Session::close);
      } finally {
        pool.shutdownNow();
      }
      var sizes = registry.get("advlab.gradient.batch.size").summary();
      assertThat(sizes.max()).as("largest batch of 8 concurrent steps").isGreaterThan(1.0);
    }
  }

  @Test
  void fullQueueAnswersOverloaded() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    AttackProperties tiny = scheduling(1, 64, Duration.ofMillis(1));
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, tiny, new SimpleMeterRegistry())) {
      List<GradientRow> rows = rows(model, 3, 4);
      List<CompletableFuture<List<GradientResult>>> accepted = new ArrayList<>();
      // Holding the network's gradient lock keeps the scheduler's thread stuck on its first step.
      model.gradient().exclusive(collector -> {
        accepted.add(scheduler.submit(List.of(rows.get(0))));
        while (scheduler.waiting() > 0 || scheduler.busy() == 0) {
          Thread.onSpinWait();
        }
        accepted.add(scheduler.submit(List.of(rows.get(1))));
        assertThatThrownBy(() -> scheduler.submit(List.of(rows.get(2))))
            .isInstanceOfSatisfying(ApiException.class, e -> {
              assertThat(e.type()).isEqualTo(ProblemType.OVERLOADED);
              assertThat(e.properties()).containsKey("retryAfterSeconds");
            });
        return null;
      });
      for (CompletableFuture<List<GradientResult>> f : accepted) {
        assertThat(f.get().get(0).gradient()).hasSize(rows.get(0).input().length);
      }
    }
  }

  @Test
  void hundredsOfStepsDoNotGrowNativeMemory() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    Path status = Path.of("/proc/self/status");
    TestRequirements.assumeAvailable(java.nio.file.Files.isReadable(status), "no /proc/self/status to read RSS from");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      // Four rows from the JVM and four L∞ iterates on the device, stepped by every pass.
      List<GradientRow> host = rows(model, 8, 5).subList(0, 4);
      List<LinfIterate> iterates = rows(model, 4, 9).stream()
          .map(r -> new LinfIterate(r.input(), new float[r.input().length], 0.1, 0.01)).toList();
      java.util.function.Supplier<List<GradientRow>> pass = () -> {
        List<GradientRow> rows = new ArrayList<>(host);
        iterates.forEach(it -> rows.add(it.row(Objective.raiseLoss(2), null)));
        return rows;
      };
      for (int i = 0; i < 100; i++) {
        scheduler.gradients(pass.get());
      }
      long before = rssKiB(status);
      long committedBefore = jvmCommittedKiB();
      for (int i = 0; i < 500; i++) {
        scheduler.gradients(pass.get());
      }
      long rssGrowth = rssKiB(status) - before;
      iterates.forEach(LinfIterate::release);
      // RSS also holds the Java heap, which the JVM may grow meanwhile (more so after other tests
      // in the same JVM): only what the JVM did not commit itself counts as native growth.
      long jvmGrowth = Math.max(0, jvmCommittedKiB() - committedBefore);
      long grown = rssGrowth - jvmGrowth;
      System.out.println("RSS growth over 500 batched gradient passes: " + rssGrowth + " KiB, of which the JVM's"
          + " committed heap and non-heap " + jvmGrowth + " KiB, native " + grown + " KiB");
      // Leaking only the host rows' input and gradient arrays would add 500 x 2 x 48 KiB = 47 MiB,
      // and an iterate's replaced perturbation and point as much again.
      assertThat(grown).as("RSS growth in KiB over 500 passes of 8 rows, 4 of them iterates").isLessThan(32 * 1024);
    }
  }

  /**
   * Tensors are what the RSS test above cannot pin down for iterates: glibc's arenas move by tens of
   * MiB either way between passes. Every tensor lives in a manager under the model's, so the
   * arrays there count what the iterates hold: four L∞ and four DeepFool iterates (overshoot
   * factor 0, so their points stay at their images and every pass steps them, as a long attack's
   * passes do) hold as many after 300 steps as after the first, and nothing once released.
   */
  @Test
  void iteratesOnTheDeviceHoldAsManyTensorsAfterHundredsOfStepsAsAfterTheFirst() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        GradientScheduler scheduler = new GradientScheduler(model, PROPERTIES, new SimpleMeterRegistry())) {
      NDManager root = TorchThread.get(() -> {
        try (NDManager pass = model.gradient().newManager()) {
          return pass.getParentManager();
        }
      });
      java.util.function.IntSupplier tensors = () -> TorchThread.get(() -> root.getManagedArrays().size());
      List<LinfIterate> linf = rows(model, 4, 9).stream()
          .map(r -> new LinfIterate(r.input(), new float[r.input().length], 0.1, 0.01)).toList();
      List<float[]> images = rows(model, 4, 13).stream().map(GradientRow::input).toList();
      List<Integer> sources = scheduler.gradients(images.stream().map(x -> new GradientRow(x, Objective.raiseLoss(0)))
          .toList()).stream().map(r -> Predictions.argmax(r.logits())).toList();
      List<DeepFoolIterate> deepFools = new ArrayList<>();
      for (int d = 0; d < images.size(); d++) {
        int source = sources.get(d);
        deepFools.add(new DeepFoolIterate(images.get(d), source, new int[] {(source + 1) % 10, (source + 2) % 10},
            Norm.L2, 0f));
      }
      List<GradientRow> host = rows(model, 2, 5);
      java.util.function.Supplier<List<GradientRow>> pass = () -> {
        List<GradientRow> rows = new ArrayList<>(host);
        linf.forEach(it -> rows.add(it.row(Objective.raiseLoss(2), null)));
        deepFools.forEach(it -> rows.addAll(it.rows(logits -> false)));
        return rows;
      };
      int before = tensors.getAsInt();
      scheduler.gradients(pass.get());
      int afterOne = tensors.getAsInt();
      float[] firstPoint = deepFools.get(0).image();
      for (int i = 0; i < 300; i++) {
        scheduler.gradients(pass.get());
      }
      assertThat(tensors.getAsInt()).as("tensors held after 301 passes (%d before the first, %d after it)", before,
          afterOne).isEqualTo(afterOne);
      assertThat(afterOne).as("the iterates' tensors").isGreaterThan(before);
      assertThat(deepFools).as("no DeepFool iterate ran out of normals").noneMatch(DeepFoolIterate::stalled);
      assertThat(deepFools.get(0).image()).isEqualTo(firstPoint);
      linf.forEach(LinfIterate::release);
      deepFools.forEach(DeepFoolIterate::release);
      assertThat(tensors.getAsInt()).as("tensors held once released").isEqualTo(before);
    }
  }

  private static long jvmCommittedKiB() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / 1024;
  }

  private static long rssKiB(Path status) throws IOException {
    System.gc();
    for (String line : java.nio.file.Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in " + status);
  }

  private static void assertBatchedEqualsSolo(GradientScheduler scheduler, List<GradientRow> rows) {
    List<GradientResult> batched = scheduler.gradients(rows);
    for (int i = 0; i < rows.size(); i++) {
      GradientResult solo = scheduler.gradients(List.of(rows.get(i))).get(0);
      assertThat(Pixels.l2(solo.gradient())).as("gradient of row " + i + " is not zero").isGreaterThan(0);
      assertThat(relativeDiff(batched.get(i).gradient(), solo.gradient())).as("gradient of row " + i).isLessThan(1e-5);
      assertThat(relativeDiff(batched.get(i).logits(), solo.logits())).as("logits of row " + i).isLessThan(1e-5);
    }
  }

  /**
   * Rows with a mix of objectives (raise, lower, raise the own top-1's, margin) on real held-out digits (digits model) or
   * smooth random images (ResNet). Uniform pixel noise is avoided on purpose: it puts some ReLU or
   * max-pool input within float rounding (1e-7) of its kink, and there the piecewise gradient itself
   * jumps when a batched GEMM rounds differently; attacks work on natural images.
   */
  private static List<GradientRow> rows(ClassifierModel model, int n, long seed) throws IOException {
    Random random = new Random(seed);
    List<GradientRow> rows = new ArrayList<>();
    int classes = model.classes();
    List<Path> digits = model.classes() == 10 ? AttackTestImages.digits(n, seed) : List.of();
    for (int i = 0; i < n; i++) {
      float[] image = digits.isEmpty() ? smooth(model.preprocessing().width(), model.preprocessing().height(), random)
          : AttackTestImages.pixels(digits.get(i));
      int a = random.nextInt(classes);
      int b = (a + 1 + random.nextInt(classes - 1)) % classes;
      Objective objective = switch (i % 4) {
        case 0 -> Objective.raiseLoss(a);
        case 1 -> Objective.lowerLoss(a);
        case 2 -> Objective.raiseLossOfTop1();
        default -> Objective.margin(a, b);
      };
      rows.add(new GradientRow(image, objective));
    }
    return rows;
  }

  /** A random image made of a few smooth color gradients. */
  private static float[] smooth(int w, int h, Random random) {
    float[] out = new float[3 * w * h];
    for (int c = 0; c < 3; c++) {
      float a = random.nextFloat();
      float bx = random.nextFloat() - 0.5f;
      float by = random.nextFloat() - 0.5f;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[c * w * h + y * w + x] = Pixels.clip01(a + bx * x / w + by * y / h);
        }
      }
    }
    return out;
  }

  /**
   * max |a - b| / max(1, max |b|): absolute for values up to 1 (float rounding in a batched
   * convolution differs from a single image's by about 1e-7), relative above.
   */
  private static double relativeDiff(float[] a, float[] b) {
    double diff = 0;
    double scale = 1;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / scale;
  }
}
