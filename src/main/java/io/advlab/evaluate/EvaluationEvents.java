package io.advlab.evaluate;

import io.advlab.jobs.PolledEvents;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-sent events of running evaluations ({@link PolledEvents}): an {@code evaluation} event
 * whose id is the images done, until the evaluation has ended or {@link #MAX_FOLLOW} has passed.
 */
@Component
class EvaluationEvents {

  static final Duration MAX_FOLLOW = Duration.ofHours(6);

  private final EvaluationService service;
  private final PolledEvents events;

  EvaluationEvents(EvaluationService service, JsonMapper json) {
    this.service = service;
    this.events = new PolledEvents("advlab-evaluation-events", MAX_FOLLOW, json);
  }

  SseEmitter follow(String id) {
    return events.follow(() -> service.view(id), "evaluation", view -> Integer.toString(view.progress().imagesDone()),
        view -> view.state() != EvaluationState.QUEUED && view.state() != EvaluationState.RUNNING);
  }

  @PreDestroy
  void close() {
    events.close();
  }
}
