package io.advlab.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** Closed-loop load: each client sends its next call as soon as the last one answered. */
final class Load {

  private Load() {}

  /** Calls per second from {@code clients} threads calling {@code call} in a loop for {@code seconds}. */
  static double perSecond(Callable<?> call, int clients, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<Long>> counts = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < clients; t++) {
        counts.add(pool.submit(() -> {
          long n = 0;
          while (!stop.get()) {
            call.call();
            n++;
          }
          return n;
        }));
      }
      Thread.sleep((long) (seconds * 1000));
      stop.set(true);
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Milliseconds of each of {@code total} calls one after another. */
  static double[] timesMs(Callable<?> call, int total) throws Exception {
    double[] times = new double[total];
    for (int i = 0; i < total; i++) {
      long start = System.nanoTime();
      call.call();
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    return times;
  }

  /** Wall-clock milliseconds per call for {@code total} calls from {@code clients} threads. */
  static double msPerCall(Callable<?> call, int clients, int total) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        futures.add(pool.submit(call));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      return (System.nanoTime() - start) / 1e6 / total;
    } finally {
      pool.shutdownNow();
    }
  }
}
