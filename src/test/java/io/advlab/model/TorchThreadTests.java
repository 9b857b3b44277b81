package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.support.TestRequirements;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** All libtorch work of the process runs on the one torch thread, whoever asks for it. */
class TorchThreadTests {

  @Test
  void workFromAnyThreadRunsOnTheOneTorchThreadAndNestedWorkRunsInPlace() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      Future<Thread> a = callers.submit(() -> TorchThread.get(Thread::currentThread));
      Future<Thread> b = callers.submit(() -> TorchThread.get(Thread::currentThread));
      assertThat(a.get()).isSameAs(b.get());
      assertThat(a.get().getName()).isEqualTo("advlab-torch");
      assertThat(TorchThread.get(() -> TorchThread.get(Thread::currentThread))).as("nested: no deadlock")
          .isSameAs(a.get());
      assertThat(TorchThread.isCurrent()).isFalse();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void failuresReachTheCallerAsTheyWereThrown() {
    assertThatThrownBy(() -> TorchThread.get(() -> {
      throw new IllegalArgumentException("bad shape");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad shape");
    assertThatThrownBy(() -> TorchThread.call(() -> {
      throw new java.io.IOException("gone");
    })).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void anInterruptedCallerStillGetsItsResultAndKeepsTheInterrupt() throws Exception {
    Thread.currentThread().interrupt();
    try {
      assertThat(TorchThread.get(() -> {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          throw new AssertionError("the torch thread was interrupted");
        }
        return 42;
      })).isEqualTo(42);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void inferenceAndGradientPassesRunOnTheTorchThread() throws Exception {
    TestRequirements.assumeSharedModel("digits");
    try (ClassifierModel model = TestModels.load("digits");
        InferenceBatcher batcher = new InferenceBatcher(model, new ModelProperties(TestRequirements.sharedModel("digits").toString(), "", "cpu", 2, 0, 8,
            java.time.Duration.ZERO, 16, java.time.Duration.ofSeconds(30)),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      float[] x = new float[model.preprocessing().inputSize()];
      long before = TorchThread.calls();
      batcher.logits(x);
      assertThat(TorchThread.calls()).as("a classification goes through the torch thread").isGreaterThan(before);
      Thread onTorch = model.gradient().exclusive(collector -> Thread.currentThread());
      assertThat(onTorch.getName()).isEqualTo("advlab-torch");
    }
  }
}
