package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The throttled cancel check a shard's attacks ask before every step. */
class ShardRunnerTests {

  @Test
  void theFirstCallAsksThenAtMostOncePerIntervalAndATrueAnswerSticks() throws InterruptedException {
    AtomicInteger asked = new AtomicInteger();
    AtomicBoolean cancelled = new AtomicBoolean();
    BooleanSupplier check = ShardRunner.sticky(() -> {
      asked.incrementAndGet();
      return cancelled.get();
    }, 1_000_000_000L);

    assertThat(check.getAsBoolean()).isFalse();
    assertThat(asked).hasValue(1);
    cancelled.set(true);
    assertThat(check.getAsBoolean()).as("asked again within the interval").isFalse();
    assertThat(asked).hasValue(1);
    Thread.sleep(1_100);
    assertThat(check.getAsBoolean()).isTrue();
    assertThat(asked).hasValue(2);
    cancelled.set(false);
    Thread.sleep(1_100);
    assertThat(check.getAsBoolean()).as("a cancel is for good").isTrue();
    assertThat(asked).hasValue(2);
  }
}
