package io.advlab.training;

import io.advlab.evaluate.EvaluationState;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-sent events of fine-tunings, as evaluations have them: the job may run on another
 * replica, so a follower reads the database once a second and sends the view when it changed
 * (clock fields aside), until the job has finished or {@link #MAX_FOLLOW} has passed.
 */
@Component
class FineTuningEvents {

  static final Duration MAX_FOLLOW = Duration.ofHours(12);

  private final FineTuningService service;
  private final JsonMapper json;
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "advlab-fine-tuning-events");
    t.setDaemon(true);
    return t;
  });

  FineTuningEvents(FineTuningService service, JsonMapper json) {
    this.service = service;
    this.json = json;
  }

  SseEmitter follow(String id) {
    SseEmitter emitter = new SseEmitter(MAX_FOLLOW.toMillis());
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
    task.set(ticks.scheduleWithFixedDelay(() -> send(id, emitter, last, stop), 0, 1, TimeUnit.SECONDS));
    return emitter;
  }

  private void send(String id, SseEmitter emitter, AtomicReference<String> last, Runnable stop) {
    try {
      FineTuningView view = service.view(id);
      String body = json.writeValueAsString(view);
      String withoutClock = body.replaceAll("\"(elapsedSeconds|etaSeconds)\":[0-9.]+", "");
      if (!withoutClock.equals(last.getAndSet(withoutClock))) {
        emitter.send(SseEmitter.event().name("fine-tuning").data(body, MediaType.APPLICATION_JSON));
      }
      if (view.state() != EvaluationState.QUEUED && view.state() != EvaluationState.RUNNING) {
        stop.run();
        emitter.complete();
      }
    } catch (IOException | RuntimeException e) {
      stop.run();
      emitter.completeWithError(e);
    }
  }

  @PreDestroy
  void close() {
    ticks.shutdownNow();
  }
}
