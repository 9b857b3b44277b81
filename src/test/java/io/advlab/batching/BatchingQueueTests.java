package io.advlab.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared batching queue with workers that record their batches: no model needed. */
class BatchingQueueTests {

  private static final BatchingQueue.Meters METERS = new BatchingQueue.Meters("test.batch", "a batch",
      "test.batch.size", "test.queue.waiting", "test.workers.busy", "test.workers");

  /** Doubles every row and remembers each batch it ran. */
  private static final class Recorder implements BatchingQueue.Worker<Integer, Integer> {
    final List<List<Integer>> batches;
    final CountDownLatch gate;

    Recorder(List<List<Integer>> batches, CountDownLatch gate) {
      this.batches = batches;
      this.gate = gate;
    }

    @Override
    public List<Integer> run(List<Integer> rows) throws Exception {
      gate.await();
      batches.add(List.copyOf(rows));
      return rows.stream().map(r -> r * 2).toList();
    }
  }

  private static BatchingQueue.Settings settings(int workers, int queue, int maxRows, Duration delay) {
    return new BatchingQueue.Settings("test", workers, queue, maxRows, delay, METERS, Tags.of("model", "m"));
  }

  @Test
  void jobsQueuedWhileTheWorkerIsBusyShareOneBatchAndEachGetsItsOwnResults() throws Exception {
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch gate = new CountDownLatch(1);
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(1, 16, 8, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> new Recorder(batches, gate), new SimpleMeterRegistry())) {
      CompletableFuture<List<Integer>> first = queue.submit(List.of(1));
      while (queue.busy() == 0) {
        Thread.onSpinWait();
      }
      List<CompletableFuture<List<Integer>>> rest = new ArrayList<>();
      for (int i = 2; i <= 5; i++) {
        rest.add(queue.submit(List.of(i, 10 * i)));
      }
      gate.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS)).containsExactly(2);
      for (int i = 0; i < rest.size(); i++) {
        int row = i + 2;
        assertThat(rest.get(i).get(30, TimeUnit.SECONDS)).containsExactly(2 * row, 20 * row);
      }
    }
    assertThat(batches.get(0)).containsExactly(1);
    assertThat(batches.get(1)).as("four jobs of two rows fill the 8-row batch").containsExactly(2, 20, 3, 30, 4, 40, 5, 50);
  }

  @Test
  void aJobThatDoesNotFitLeadsTheNextBatchInsteadOfBeingSplit() throws Exception {
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch gate = new CountDownLatch(1);
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(1, 16, 4, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> new Recorder(batches, gate), new SimpleMeterRegistry())) {
      CompletableFuture<List<Integer>> blocker = queue.submit(List.of(0));
      while (queue.busy() == 0) {
        Thread.onSpinWait();
      }
      CompletableFuture<List<Integer>> a = queue.submit(List.of(1, 2, 3));
      CompletableFuture<List<Integer>> b = queue.submit(List.of(4, 5));
      gate.countDown();
      blocker.get(30, TimeUnit.SECONDS);
      assertThat(a.get(30, TimeUnit.SECONDS)).containsExactly(2, 4, 6);
      assertThat(b.get(30, TimeUnit.SECONDS)).containsExactly(8, 10);
    }
    assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3), List.of(4, 5));
  }

  /**
   * One client sending requests back to back, each as soon as the last answer came, with an hour of
   * batch delay. Two workers: the worker that answered counts as idle by then. One worker (the
   * default): with no other worker to take a later request, waiting would only leave the network
   * idle, and batches grow only from what queues while a pass runs (the first test). Either way no
   * request may wait for a batch; one that did would not finish within its 30 s here.
   */
  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2})
  void loneRequestsNeverWaitOutTheBatchDelay(int workers) throws Exception {
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch open = new CountDownLatch(0);
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(workers, 16, 8, Duration.ofHours(1)),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> new Recorder(batches, open), new SimpleMeterRegistry())) {
      for (int i = 0; i < 200; i++) {
        assertThat(queue.submit(List.of(i)).get(30, TimeUnit.SECONDS)).as("request %d", i).containsExactly(2 * i);
      }
    }
    assertThat(batches).hasSize(200);
  }

  @Test
  void aFullQueueAnswersOverloadedWithRetryAfter() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(1, 2, 8, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> new Recorder(new ArrayList<>(), gate),
        new SimpleMeterRegistry())) {
      queue.submit(List.of(1));
      while (queue.busy() == 0) {
        Thread.onSpinWait();
      }
      queue.submit(List.of(2));
      queue.submit(List.of(3));
      assertThatThrownBy(() -> queue.submit(List.of(4)))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.OVERLOADED);
            assertThat(e.properties()).containsEntry("retryAfterSeconds", 1);
            assertThat(e.getMessage()).contains("test queue is full");
          });
      gate.countDown();
    }
  }

  @Test
  void aFailingBatchFailsItsJobsAndTheWorkerGoesOn() throws Exception {
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(1, 4, 8, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> rows -> {
          if (rows.contains(-1)) {
            throw new IllegalStateException("boom");
          }
          return rows;
        }, new SimpleMeterRegistry())) {
      CompletableFuture<List<Integer>> bad = queue.submit(List.of(-1));
      assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
      assertThat(queue.submit(List.of(7)).get(30, TimeUnit.SECONDS)).containsExactly(7);
    }
  }

  /**
   * A caller that knows nothing would join its batch runs it in place, measured as a batch, but
   * only while the queue is idle: with a worker running a batch, or a job waiting, it must queue
   * (or it would overtake the job and run beside the worker).
   */
  @Test
  void runIfIdleRunsOnTheCallersThreadOnlyWhileNoWorkerRunsAndNoJobWaits() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch gate = new CountDownLatch(1);
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(1, 16, 8, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> new Recorder(batches, gate), registry)) {
      Thread caller = Thread.currentThread();
      Thread[] ranOn = new Thread[1];
      BatchingQueue.Worker<Integer, Integer> inPlace = rows -> {
        ranOn[0] = Thread.currentThread();
        return rows.stream().map(r -> r + 1).toList();
      };
      assertThat(queue.runIfIdle(List.of(1, 2), inPlace)).containsExactly(2, 3);
      assertThat(ranOn[0]).isSameAs(caller);
      assertThat(registry.get("test.batch.size").summary().count()).isEqualTo(1);
      assertThat(registry.get("test.batch.size").summary().totalAmount()).isEqualTo(2.0);
      assertThat(registry.get("test.batch").timer().count()).isEqualTo(1);
      assertThat(queue.busy()).as("the caller's batch is over").isZero();

      CompletableFuture<List<Integer>> queued = queue.submit(List.of(5));
      while (queue.busy() == 0) {
        Thread.onSpinWait();
      }
      ranOn[0] = null;
      assertThat(queue.runIfIdle(List.of(3), inPlace)).as("a worker runs a batch").isNull();
      assertThat(ranOn[0]).as("nothing ran in place").isNull();
      gate.countDown();
      assertThat(queued.get(30, TimeUnit.SECONDS)).containsExactly(10);
      assertThatThrownBy(() -> queue.runIfIdle(List.of(), inPlace)).isInstanceOf(IllegalArgumentException.class);
      BatchingQueue.Worker<Integer, Integer> failing = rows -> {
        throw new IllegalStateException("boom");
      };
      while (queue.busy() > 0 || queue.waiting() > 0) {
        Thread.onSpinWait();
      }
      assertThatThrownBy(() -> queue.runIfIdle(List.of(1), failing)).hasMessage("boom");
      assertThat(queue.busy()).as("a failed batch frees the queue").isZero();
      assertThat(queue.runIfIdle(List.of(1), inPlace)).containsExactly(2);
    }
    // no worker to take it: the job waits in the queue while no worker is busy
    try (BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(0, 16, 8, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> rows -> rows, registry)) {
      CompletableFuture<List<Integer>> waiting = queue.submit(List.of(6));
      assertThat(queue.runIfIdle(List.of(3), rows -> rows)).as("a job waits").isNull();
      assertThat(waiting).isNotDone();
    }
  }

  @Test
  void metersCarryTheTagsAndGoAwayOnClose() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BatchingQueue<Integer, Integer> queue = new BatchingQueue<>(settings(2, 4, 8, Duration.ZERO),
        BatchingQueue.GatherPolicy.whileOthersBusy(), () -> rows -> rows, registry);
    queue.submit(List.of(1)).get(30, TimeUnit.SECONDS);
    assertThat(registry.get("test.workers").tag("model", "m").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("test.batch.size").tag("model", "m").summary().count()).isEqualTo(1);
    queue.close();
    assertThat(registry.getMeters()).isEmpty();
  }
}
