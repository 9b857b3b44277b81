package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.support.DigitsServerTest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link AttackEngine#attackEach}, the lanes an evaluation's shard runs its images in: each image's
 * response is what a request for it alone answers, the lanes' steps reach the gradient scheduler
 * as one submission (every pass holds exactly the running lanes), and a stop ends the work at the
 * next step. Callers at the same time (two shards) share the lanes and each pass; one that stops
 * or fails leaves the others running.
 */
class AttackLanesTests extends DigitsServerTest {

  private static final int LANES = 4;
  private static final int STEPS = 12;

  @Autowired
  private AttackEngine engine;

  @Autowired
  private MeterRegistry registry;

  @Test
  void lanesAnswerWhatSingleAttacksAnswerAndShareEachPass() throws Exception {
    List<AttackTestImages.Digit> digits = sample(8);
    List<Map<String, Object>> params = new ArrayList<>();
    for (int i = 0; i < digits.size(); i++) {
      params.add(Map.of("eps", 0.2, "stepSize", 0.05, "steps", STEPS, "earlyStop", false, "seed", i,
          "label", digits.get(i).label()));
    }
    List<AttackResponse> alone = new ArrayList<>();
    for (int i = 0; i < digits.size(); i++) {
      alone.add(engine.attack("digits", digits.get(i).bytes(), "pgd", params.get(i), null, null));
    }

    long passesBefore = passes().count();
    double rowsBefore = passes().totalAmount();
    long judgedBefore = classifications().count();
    double imagesBefore = classifications().totalAmount();
    Map<Integer, AttackResponse> together = new ConcurrentHashMap<>();
    AtomicInteger calls = new AtomicInteger();
    boolean finished = engine.attackEach("digits", digits.size(), i -> digits.get(i).bytes(), "pgd", params::get,
        null, LANES, () -> false, (i, r) -> {
          calls.incrementAndGet();
          together.put(i, r);
        });
    long passes = passes().count() - passesBefore;
    double rows = passes().totalAmount() - rowsBefore;

    assertThat(finished).isTrue();
    assertThat(calls).hasValue(digits.size());
    for (int i = 0; i < digits.size(); i++) {
      AttackResponse a = alone.get(i);
      AttackResponse t = together.get(i);
      assertThat(t.iterations()).as("iterations of image %d", i).isEqualTo(STEPS);
      assertThat(t.original().predictions().get(0).index()).as("original of image %d", i)
          .isEqualTo(a.original().predictions().get(0).index());
      assertThat(t.success()).as("success of image %d", i).isEqualTo(a.success());
      assertThat(t.adversarialImage()).as("image %d", i).isEqualTo(a.adversarialImage());
    }
    // two rounds of four lanes, twelve steps each: every pass holds the four running lanes' rows
    assertThat(passes).isEqualTo(2L * STEPS);
    assertThat(rows).isEqualTo(2.0 * STEPS * LANES);
    // the first round's originals, then its results with the second round's originals in one pass
    // (the lanes are refilled in the step their attacks end), then the second round's results
    assertThat(classifications().count() - judgedBefore).as("inference passes").isEqualTo(3);
    assertThat(classifications().totalAmount() - imagesBefore).as("images classified").isEqualTo(16.0);
  }

  @Test
  void onlyTheResponsesAskedForCarryTheirImagesAndTheFiguresAreTheSame() throws Exception {
    List<AttackTestImages.Digit> digits = sample(6);
    IntFunction<Map<String, Object>> params = i -> Map.of("eps", 0.2, "stepSize", 0.05, "steps", 4, "earlyStop",
        false, "seed", i, "label", digits.get(i).label());
    Map<Integer, AttackResponse> all = new ConcurrentHashMap<>();
    assertThat(engine.attackEach("digits", digits.size(), i -> digits.get(i).bytes(), "pgd", params, null, LANES,
        () -> false, all::put)).isTrue();

    Map<Integer, AttackResponse> some = new ConcurrentHashMap<>();
    Map<Integer, AttackResponse> asked = new ConcurrentHashMap<>();
    assertThat(engine.attackEach("digits", digits.size(), i -> digits.get(i).bytes(), "pgd", params, null, LANES,
        () -> false, (i, figures) -> {
          asked.put(i, figures);
          return i % 2 == 0;
        }, some::put)).isTrue();

    assertThat(some).hasSize(digits.size());
    for (int i = 0; i < digits.size(); i++) {
      AttackResponse full = all.get(i);
      AttackResponse partial = some.get(i);
      assertThat(asked.get(i).adversarialImage()).as("the figures asked about, image %d", i).isNull();
      assertThat(asked.get(i).perturbation()).as("the figures asked about, image %d", i)
          .isEqualTo(full.perturbation());
      assertThat(partial.perturbation()).as("perturbation of image %d", i).isEqualTo(full.perturbation());
      assertThat(partial.adversarial()).as("prediction of image %d", i).isEqualTo(full.adversarial());
      assertThat(partial.quantizedSuccess()).as("quantized success of image %d", i).isEqualTo(full.quantizedSuccess());
      if (i % 2 == 0) {
        assertThat(partial.adversarialImage()).as("image %d", i).isEqualTo(full.adversarialImage()).isNotNull();
        assertThat(partial.perturbationImage()).as("perturbation image %d", i).isEqualTo(full.perturbationImage())
            .isNotNull();
      } else {
        assertThat(partial.adversarialImage()).as("image %d", i).isNull();
        assertThat(partial.perturbationImage()).as("perturbation image %d", i).isNull();
      }
    }
  }

  @Test
  void aStopEndsTheWorkAtTheNextStep() throws Exception {
    List<AttackTestImages.Digit> digits = sample(6);
    // FGSM is one step: two lanes finish in the second round, the stop comes before the third
    AtomicInteger asked = new AtomicInteger();
    List<Integer> done = new ArrayList<>();
    boolean finished = engine.attackEach("digits", digits.size(), i -> digits.get(i).bytes(), "fgsm",
        i -> Map.of("eps", 0.1), null, 2, () -> asked.incrementAndGet() > 2, (i, r) -> done.add(i));
    assertThat(finished).isFalse();
    assertThat(done).containsExactly(0, 1);

    // a long PGD is stopped in the middle of its attacks, not after them
    AtomicInteger steps = new AtomicInteger();
    List<Integer> none = new ArrayList<>();
    boolean stopped = engine.attackEach("digits", digits.size(), i -> digits.get(i).bytes(), "pgd",
        i -> Map.of("eps", 0.1, "steps", 1000, "earlyStop", false), null, 3, () -> steps.incrementAndGet() > 5,
        (i, r) -> none.add(i));
    assertThat(stopped).isFalse();
    assertThat(steps).hasValue(6);
    assertThat(none).isEmpty();
  }

  @Test
  void twoCallersShareEachPassAndEachGetsWhatItsImagesAnswerAlone() throws Exception {
    List<AttackTestImages.Digit> digits = sample(8);
    IntFunction<Map<String, Object>> params = i -> Map.of("eps", 0.2, "stepSize", 0.05, "steps", STEPS,
        "earlyStop", false, "seed", i, "label", digits.get(i).label());
    List<AttackResponse> alone = new ArrayList<>();
    for (int i = 0; i < digits.size(); i++) {
      alone.add(engine.attack("digits", digits.get(i).bytes(), "pgd", params.apply(i), null, null));
    }
    long passesBefore = passes().count();
    double rowsBefore = passes().totalAmount();
    CountDownLatch secondStarts = new CountDownLatch(1);
    Map<Integer, AttackResponse> together = new ConcurrentHashMap<>();
    // the first caller's first image waits until the second caller has joined, so the second's
    // lanes start at the first's second step: 1 pass of 4 rows, 11 of 8, 1 of 4
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> engine.attackEach("digits", 4, i -> {
      if (i == 0) {
        secondStarts.countDown();
        sleep(500);
      }
      return digits.get(i).bytes();
    }, "pgd", params, null, 2 * LANES, () -> false, together::put));
    secondStarts.await();
    boolean second = engine.attackEach("digits", 4, i -> digits.get(4 + i).bytes(), "pgd",
        i -> params.apply(4 + i), null, 2 * LANES, () -> false, (i, r) -> together.put(4 + i, r));

    assertThat(first.get()).isTrue();
    assertThat(second).isTrue();
    for (int i = 0; i < digits.size(); i++) {
      assertThat(together.get(i).adversarialImage()).as("image %d", i).isEqualTo(alone.get(i).adversarialImage());
      assertThat(together.get(i).iterations()).as("iterations of image %d", i).isEqualTo(STEPS);
    }
    assertThat(passes().count() - passesBefore).isEqualTo(STEPS + 1L);
    assertThat(passes().totalAmount() - rowsBefore).isEqualTo(2.0 * STEPS * LANES);
  }

  @Test
  void aCallerThatStopsOrFailsLeavesTheOtherRunning() throws Exception {
    List<AttackTestImages.Digit> digits = sample(4);
    IntFunction<Map<String, Object>> pgd = i -> Map.of("eps", 0.1, "steps", STEPS, "earlyStop", false);
    AtomicInteger asked = new AtomicInteger();
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> engine.attackEach("digits", 4,
        i -> digits.get(i).bytes(), "pgd", i -> Map.of("eps", 0.1, "steps", 1000, "earlyStop", false), null, 8,
        () -> asked.incrementAndGet() > 30, (i, r) -> {}));
    CompletableFuture<Boolean> failing = CompletableFuture.supplyAsync(() -> engine.attackEach("digits", 4,
        i -> i == 2 ? new byte[] {1, 2, 3} : digits.get(i).bytes(), "pgd", pgd, null, 8, () -> false, (i, r) -> {}));
    List<Integer> done = new ArrayList<>();
    boolean finished = engine.attackEach("digits", 4, i -> digits.get(i).bytes(), "pgd", pgd, null, 8,
        () -> false, (i, r) -> done.add(i));

    assertThat(finished).isTrue();
    assertThat(done).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(stopped.get()).isFalse();
    assertThat(asked).hasValueGreaterThan(30);
    assertThatThrownBy(failing::join).hasCauseInstanceOf(ApiException.class);
  }

  @Test
  void anInterruptedCallerLosesItsLanesAndHearsNothingAfterItReturns() throws Exception {
    List<AttackTestImages.Digit> digits = sample(4);
    AtomicInteger resultsAfterReturn = new AtomicInteger();
    AtomicInteger results = new AtomicInteger();
    AtomicInteger steps = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        engine.attackEach("digits", 4, i -> digits.get(i).bytes(), "fgsm", i -> Map.of("eps", 0.1), null, 1, () -> {
          steps.incrementAndGet();
          return false;
        }, (i, r) -> {
          results.incrementAndGet();
          if (returned.get()) {
            resultsAfterReturn.incrementAndGet();
          }
          sleep(300);
        });
      } catch (Throwable t) {
        thrown.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      } finally {
        returned.set(true);
      }
    });
    caller.start();
    while (steps.get() < 2) {
      Thread.sleep(5);
    }
    caller.interrupt();
    caller.join(10_000);
    int stepsAtReturn = steps.get();
    // another caller still gets all of its images done by the same lanes
    List<Integer> done = new ArrayList<>();
    assertThat(engine.attackEach("digits", 2, i -> digits.get(i).bytes(), "fgsm", i -> Map.of("eps", 0.1), null,
        2, () -> false, (i, r) -> done.add(i))).isTrue();

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");
    assertThat(stillInterrupted).isTrue();
    assertThat(resultsAfterReturn).hasValue(0);
    assertThat(results).as("its lanes were dropped, not run to the end").hasValueLessThan(4);
    assertThat(steps.get()).as("the interrupted caller's stop is no longer asked").isEqualTo(stepsAtReturn);
    assertThat(done).containsExactlyInAnyOrder(0, 1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private DistributionSummary passes() {
    return registry.find("advlab.gradient.batch.size").tag("model", "digits").summary();
  }

  private DistributionSummary classifications() {
    return registry.find("advlab.inference.batch.size").tag("model", "digits").summary();
  }

  private static List<AttackTestImages.Digit> sample(int n) throws Exception {
    List<AttackTestImages.Digit> all = AttackTestImages.all();
    List<AttackTestImages.Digit> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get(i * 97 + 11));
    }
    return out;
  }
}
