package io.advlab.training;

import io.advlab.problem.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fine-tunings: start one on a model version ({@code POST /api/v1/models/{name}/fine-tunings},
 * admin credentials), follow, list and cancel them under {@code /api/v1/fine-tunings}.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Fine-tuning", description = "Adversarial fine-tuning into the model's next version")
@ApiResponse(responseCode = "400", description = "Invalid request (the `field` member names it)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "404", description = "No such fine-tuning, model, version or data set",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
class FineTuningController {

  private final FineTuningService service;
  private final FineTuningEvents events;

  FineTuningController(FineTuningService service, FineTuningEvents events) {
    this.service = service;
    this.events = events;
  }

  @PostMapping(path = "/models/{name}/fine-tunings", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "startFineTuning", summary = "Fine-tune a model version into its next version",
      description = "Checks the request (parent READY, data sets and their classes, the recipe), stores the job and"
          + " runs it in the background. Answers 202 with `Location`. The result is the model's next version, served"
          + " next to its parent (not the default), and two evaluations comparing them.")
  @ApiResponse(responseCode = "202", description = "Accepted; queued")
  @ApiResponse(responseCode = "409", description = "A fine-tuning of this model is queued or running",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "422", description = "A data set's classes do not match the model's, or it is empty",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "429", description = "Too many fine-tunings queued or running",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ResponseEntity<FineTuningView.Created> start(@PathVariable String name, @RequestBody FineTuningRequest request) {
    FineTuningView.Created created = service.submit(name, request);
    return ResponseEntity.accepted().location(URI.create("/api/v1/fine-tunings/" + created.id())).body(created);
  }

  @GetMapping("/fine-tunings/{id}")
  @ApiResponse(responseCode = "200", description = "The fine-tuning")
  @Operation(operationId = "getFineTuning", summary = "State, progress, epochs, result and the comparison")
  FineTuningView get(@PathVariable String id) {
    return service.view(id);
  }

  @GetMapping("/fine-tunings")
  @ApiResponse(responseCode = "200", description = "A page of fine-tunings")
  @Operation(operationId = "listFineTunings", summary = "Fine-tunings, newest first, a page at a time",
      description = "`model` keeps those of one model.")
  FineTuningView.Page list(@RequestParam(required = false) String model, @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return service.page(model, page, size);
  }

  @GetMapping(path = "/fine-tunings/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ApiResponse(responseCode = "200", description = "The event stream: `fine-tuning` events whose data is a FineTuning",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string", format = "binary")))
  @Operation(operationId = "followFineTuning", summary = "The fine-tuning as server-sent events while it runs",
      description = "A `fine-tuning` event with the body of `GET /api/v1/fine-tunings/{id}` at once, then whenever it"
          + " changes (checked every second), and a last one once it has finished; then the stream ends.")
  SseEmitter events(@PathVariable String id) {
    service.view(id);
    return events.follow(id);
  }

  @DeleteMapping("/fine-tunings/{id}")
  @ApiResponse(responseCode = "200", description = "Cancelled")
  @Operation(operationId = "cancelFineTuning", summary = "Cancel a queued or running fine-tuning",
      description = "Training stops within a batch; its checkpoints are removed and no version is added.")
  @ApiResponse(responseCode = "409", description = "Already finished",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  FineTuningView cancel(@PathVariable String id) {
    return service.cancel(id);
  }
}
