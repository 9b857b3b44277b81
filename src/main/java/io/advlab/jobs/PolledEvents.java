package io.advlab.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-sent events of a durable job. The job may run on any replica, so a follower reads its
 * view from the database once a second (one small read per follower) and sends it when it changed,
 * clock fields ({@code elapsedSeconds}, {@code etaSeconds}) aside; it ends the stream after the
 * final state. One scheduler thread serves every follower, and a stream is closed after
 * {@code maxFollow} so an abandoned client cannot hold it forever.
 */
public final class PolledEvents implements AutoCloseable {

  private final Duration maxFollow;
  private final JsonMapper json;
  private final ScheduledExecutorService ticks;

  public PolledEvents(String threadName, Duration maxFollow, JsonMapper json) {
    this.maxFollow = maxFollow;
    this.json = json;
    this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Follows one job.
   *
   * @param view reads the job's current view (a 404 problem ends the stream with an error)
   * @param eventName the SSE event name
   * @param eventId the SSE id of a view, or null for none
   * @param finished whether a view is the job's final state
   */
  public <V> SseEmitter follow(Supplier<V> view, String eventName, Function<V, String> eventId,
      Predicate<V> finished) {
    SseEmitter emitter = new SseEmitter(maxFollow.toMillis());
    AtomicReference<String> last = new AtomicReference<>();
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable stop = () -> {
      ScheduledFuture<?> f = task.get();
      if (f != null) {
        f.cancel(false);
      }
    };
    emitter.onCompletion(stop);
    emitter.onTimeout(stop);
    emitter.onError(e -> stop.run());
    task.set(ticks.scheduleWithFixedDelay(() -> {
      try {
        V current = view.get();
        String body = json.writeValueAsString(current);
        String withoutClock = body.replaceAll("\"(elapsedSeconds|etaSeconds)\":[0-9.]+", "");
        if (!withoutClock.equals(last.getAndSet(withoutClock))) {
          SseEmitter.SseEventBuilder event = SseEmitter.event().name(eventName);
          if (eventId != null) {
            event.id(eventId.apply(current));
          }
          emitter.send(event.data(body, MediaType.APPLICATION_JSON));
        }
        if (finished.test(current)) {
          stop.run();
          emitter.complete();
        }
      } catch (IOException | RuntimeException e) {
        stop.run();
        emitter.completeWithError(e);
      }
    }, 0, 1, TimeUnit.SECONDS));
    return emitter;
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
