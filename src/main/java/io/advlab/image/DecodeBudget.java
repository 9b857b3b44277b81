package io.advlab.image;

import io.advlab.problem.ApiException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the pixels being decoded at once across all requests, so that many large images arriving
 * together cannot exhaust the heap (a 40 MP image needs about 280 MB while it is converted to RGB).
 * A decode that cannot get its share within {@code wait} is answered 503 with {@code Retry-After}.
 * Permits are counted in blocks of 1024 pixels so the budget fits a {@link Semaphore}.
 */
final class DecodeBudget {

  private static final int BLOCK = 1024;

  private final Semaphore blocks;
  private final int capacity;
  private final Duration wait;

  DecodeBudget(long pixels, Duration wait) {
    this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, pixels / BLOCK));
    this.blocks = new Semaphore(capacity, true);
    this.wait = wait;
  }

  /** Effectively unbounded, for tests and tools that decode one image at a time. */
  static DecodeBudget unbounded() {
    return new DecodeBudget((long) Integer.MAX_VALUE * BLOCK, Duration.ZERO);
  }

  /** Holds a share for {@code pixels} until the returned lease is closed. */
  Lease acquire(long pixels) {
    int need = (int) Math.min(capacity, Math.max(1, (pixels + BLOCK - 1) / BLOCK));
    try {
      if (!blocks.tryAcquire(need, wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw ApiException.overloaded("Too many large images are being decoded right now; retry shortly"
            + " (advlab.image.max-pixels-in-flight).", 2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.overloaded("Interrupted while waiting to decode.", 1);
    }
    return () -> blocks.release(need);
  }

  int available() {
    return blocks.availablePermits() * BLOCK;
  }

  /** A held share of the budget. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }
}
