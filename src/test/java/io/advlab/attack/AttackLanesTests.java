package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link AttackEngine#attackEach}, the lanes an evaluation's shard runs its images in: each image's
 * response is what a request for it alone answers, the lanes' steps reach the gradient scheduler
 * as one submission (every pass holds exactly the running lanes), and a stop ends the work at the
 * next step.
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

  private DistributionSummary passes() {
    return registry.find("advlab.gradient.batch.size").tag("model", "digits").summary();
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
