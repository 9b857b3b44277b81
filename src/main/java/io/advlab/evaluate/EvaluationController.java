package io.advlab.evaluate;

import io.advlab.problem.Problem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Locale;
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

/** {@code /api/v1/evaluations}: start, follow, list and cancel robustness evaluations; results as CSV. */
@RestController
@RequestMapping("/api/v1/evaluations")
@Tag(name = "Evaluations", description = "A model's accuracy on a data set, clean and under attacks swept over eps")
@ApiResponse(responseCode = "400", description = "Invalid request (the `field` member names it)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "404", description = "No such evaluation, model or data set",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
class EvaluationController {

  private final EvaluationService service;
  private final EvaluationEvents events;

  EvaluationController(EvaluationService service, EvaluationEvents events) {
    this.service = service;
    this.events = events;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "startEvaluation", summary = "Start an evaluation",
      description = "Checks the whole request (model, data set and its classes, every attack at every eps), stores"
          + " the job and runs it in shards in the background. Answers 202 with `Location`; follow it for progress"
          + " and results.")
  @ApiResponse(responseCode = "202", description = "Accepted; queued")
  @ApiResponse(responseCode = "422", description = "The data set's classes do not match the model's, or it is empty",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "429", description = "Too many evaluations queued or running; `Retry-After` says when",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ResponseEntity<EvaluationView.Created> start(@RequestBody EvaluationRequest request) {
    EvaluationView.Created created = service.submit(request);
    return ResponseEntity.accepted().location(URI.create("/api/v1/evaluations/" + created.id())).body(created);
  }

  @GetMapping("/{id}")
  @ApiResponse(responseCode = "200", description = "The evaluation")
  @Operation(operationId = "getEvaluation", summary = "State, progress and results so far")
  EvaluationView get(@PathVariable String id) {
    return service.view(id);
  }

  @GetMapping
  @ApiResponse(responseCode = "200", description = "A page of evaluations")
  @Operation(operationId = "listEvaluations", summary = "Evaluations, newest first, a page at a time")
  EvaluationView.Page list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
    return service.page(page, size);
  }

  @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ApiResponse(responseCode = "200", description = "The event stream: `evaluation` events whose data is an Evaluation",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string", format = "binary")))
  @Operation(operationId = "followEvaluation", summary = "The evaluation as server-sent events while it runs",
      description = "An `evaluation` event with the same body as `GET /api/v1/evaluations/{id}` at once, then"
          + " whenever it changes (checked every second), and a last one when it has finished; then the stream"
          + " ends. Browsers follow it with `new EventSource(url)`.")
  SseEmitter events(@PathVariable String id) {
    service.view(id);
    return events.follow(id);
  }

  @DeleteMapping("/{id}")
  @ApiResponse(responseCode = "200", description = "Cancelled")
  @Operation(operationId = "cancelEvaluation", summary = "Cancel a queued or running evaluation",
      description = "Its shards stop at their next image; the results so far stay.")
  @ApiResponse(responseCode = "409", description = "Already finished",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  EvaluationView cancel(@PathVariable String id) {
    return service.cancel(id);
  }

  @GetMapping(path = "/{id}/results.csv", produces = "text/csv")
  @ApiResponse(responseCode = "200", description = "The CSV (a file for generated clients)",
      content = @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")))
  @Operation(operationId = "getEvaluationCsv", summary = "The results as CSV, one row per attack and eps")
  ResponseEntity<String> csv(@PathVariable String id) {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
        .header("Content-Disposition", "attachment; filename=\"evaluation-" + id + ".csv\"")
        .body(csv(service.results(id)));
  }

  @GetMapping("/{id}/results/{cell}/worst-case")
  @ApiResponse(responseCode = "200", description = "The worst case")
  @Operation(operationId = "getEvaluationWorstCase", summary = "A cell's worst case: original, adversarial and"
      + " perturbation images", description = "Of the images the attack turned from right to wrong, the one with the"
      + " smallest L2 perturbation; `cell` indexes `results` (one per attack and eps).")
  WorstCase worstCase(@PathVariable String id, @PathVariable int cell) {
    return service.worstCase(id, cell);
  }

  @GetMapping(path = "/{id}/chart.svg", produces = "image/svg+xml")
  @ApiResponse(responseCode = "200", description = "The SVG chart (a file for generated clients)",
      content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string", format = "binary")))
  @Operation(operationId = "getEvaluationChart", summary = "Accuracy against eps, one curve per attack, as SVG")
  ResponseEntity<String> chart(@PathVariable String id) {
    EvaluationView view = service.view(id);
    String title = view.model() + " on " + view.dataset() + " (" + view.images() + " images, " + view.state() + ")";
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
        .body(AccuracyChart.svg(title, view.results()));
  }

  static String csv(List<CellFigures> cells) {
    StringBuilder out = new StringBuilder("method,eps,images,total,cleanAccuracy,robustAccuracy,successRate,"
        + "quantizedSuccessRate,medianL2,meanL2,medianLinf,meanLinf,medianIterations,seconds\n");
    for (CellFigures c : cells) {
      out.append(String.join(",", c.method(), cell(c.eps()), cell(c.images()), cell(c.total()),
          cell(c.cleanAccuracy()), cell(c.robustAccuracy()), cell(c.successRate()), cell(c.quantizedSuccessRate()),
          cell(c.medianL2()), cell(c.meanL2()), cell(c.medianLinf()), cell(c.meanLinf()), cell(c.medianIterations()),
          cell(c.seconds()))).append('\n');
    }
    return out.toString();
  }

  private static String cell(Object value) {
    return value == null ? "" : value instanceof Double d ? String.format(Locale.ROOT, "%s", d) : value.toString();
  }
}
