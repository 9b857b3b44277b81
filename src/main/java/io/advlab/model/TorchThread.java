package io.advlab.model;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one thread that runs the process's libtorch work: every forward and backward pass, optimizer
 * step and tensor operation on whole images or batches goes through {@link #call} or {@link #get}.
 *
 * <p>Why one thread: PyTorch's CPU kernels parallelize with OpenMP, and libgomp gives each thread
 * that starts a parallel region a team of worker threads of its own, kept for that thread's life.
 * Once the teams' threads outnumber the cores, libgomp stops letting idle workers spin (its
 * "throttled" spin count) and parks them on a futex between parallel regions, and a ResNet18 pass
 * has hundreds of regions. Measured on the 2-core machine (resnet18, batch 1, same process,
 * medians): forward+backward 58 ms while one thread had ever called libtorch, 75 ms once a second
 * long-lived thread had run a single forward pass, with ten times the context switches; inference
 * workers, the gradient thread, model loaders, evaluation and training threads each made a team.
 * A single calling thread keeps a single team, as plain PyTorch in Python has. The work queues in
 * order of arrival; on two cores two passes at once would only share the cores anyway.
 */
public final class TorchThread {

  private static volatile Thread thread;
  /** Deep TorchScript graphs and DJL's JNI frames want more than the default stack. */
  private static final long STACK_BYTES = 16L << 20;
  private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(work -> {
    Thread created = new Thread(null, work, "advlab-torch", STACK_BYTES);
    created.setDaemon(true);
    thread = created;
    return created;
  });
  private static final AtomicLong CALLS = new AtomicLong();

  private TorchThread() {}

  /**
   * Runs {@code work} on the torch thread and returns its result, or runs it in place when called
   * from the torch thread. An interrupt while waiting does not abandon the work (a native pass
   * cannot be stopped half-way and owns its tensors): the caller waits for it and keeps the
   * interrupt flag.
   */
  public static <T> T call(Callable<T> work) throws Exception {
    if (isCurrent()) {
      CALLS.incrementAndGet();
      return work.call();
    }
    Future<T> future = EXECUTOR.submit(() -> {
      CALLS.incrementAndGet();
      return work.call();
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception exception) {
            throw exception;
          }
          throw (Error) cause;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@link #call} for work that throws no checked exception. */
  public static <T> T get(Supplier<T> work) {
    try {
      return call(work::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the calling thread is the torch thread. */
  public static boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /** Pieces of work run so far, for tests that check a path goes through here. */
  public static long calls() {
    return CALLS.get();
  }
}
