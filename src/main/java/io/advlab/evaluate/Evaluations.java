package io.advlab.evaluate;

import org.springframework.stereotype.Component;

/**
 * Evaluations for other features (a fine-tuning compares parent and child with two of them):
 * start one exactly as {@code POST /api/v1/evaluations} would, and read it back.
 */
@Component
public class Evaluations {

  private final EvaluationService service;

  Evaluations(EvaluationService service) {
    this.service = service;
  }

  /** Checks and queues an evaluation; the same 4xx as the endpoint. Returns its id. */
  public String start(EvaluationRequest request) {
    return service.submit(request).id();
  }

  /** The evaluation's view, as {@code GET /api/v1/evaluations/{id}} shows it. */
  public EvaluationView view(String id) {
    return service.view(id);
  }
}
