package io.advlab.training;

import io.advlab.evaluate.EvaluationState;
import io.advlab.jobs.PolledEvents;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-sent events of fine-tunings, as evaluations have them ({@link PolledEvents}): a
 * {@code fine-tuning} event whenever the view changed, until the job has finished or
 * {@link #MAX_FOLLOW} has passed.
 */
@Component
class FineTuningEvents {

  static final Duration MAX_FOLLOW = Duration.ofHours(12);

  private final FineTuningService service;
  private final PolledEvents events;

  FineTuningEvents(FineTuningService service, JsonMapper json) {
    this.service = service;
    this.events = new PolledEvents("advlab-fine-tuning-events", MAX_FOLLOW, json);
  }

  SseEmitter follow(String id) {
    return events.follow(() -> service.view(id), "fine-tuning", null,
        view -> view.state() != EvaluationState.QUEUED && view.state() != EvaluationState.RUNNING);
  }

  @PreDestroy
  void close() {
    events.close();
  }
}
