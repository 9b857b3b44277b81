package io.advlab.model;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Describes the served model and its labels. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Model", description = "The served model and its labels")
class ModelController {

  private final ClassifierModel model;

  ModelController(ClassifierModel model) {
    this.model = model;
  }

  @GetMapping("/model")
  @Operation(operationId = "getModel", summary = "Name, source, device, input shape, preprocessing, classes and size of the model")
  ModelInfo model() {
    return ModelInfo.of(model);
  }

  @GetMapping("/labels")
  @Operation(operationId = "listLabels", summary = "The model's class labels, whole or a page at a time")
  @ApiResponse(responseCode = "400", description = "Invalid offset or limit",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
  LabelPage labels(
      @Parameter(description = "Index of the first label") @RequestParam(defaultValue = "0") @Min(0) int offset,
      @Parameter(description = "Most labels to return; omit for all") @RequestParam(required = false) @Min(1) @Max(100000) Integer limit) {
    List<Labels.Label> all = model.labels().all();
    int from = Math.min(offset, all.size());
    int size = limit == null ? all.size() : limit;
    int to = (int) Math.min((long) from + size, all.size());
    return new LabelPage(all.subList(from, to), offset, size, all.size());
  }

  @GetMapping("/labels/{index}")
  @Operation(operationId = "getLabel", summary = "One class label by index")
  @ApiResponse(responseCode = "400", description = "The index is not an integer",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
  @ApiResponse(responseCode = "404", description = "No class with that index",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
  Labels.Label label(@PathVariable int index) {
    if (index < 0 || index >= model.labels().size()) {
      throw new ApiException(ProblemType.NOT_FOUND,
          "No label " + index + ": the model has labels 0.." + (model.labels().size() - 1) + ".").with("field", "index");
    }
    return model.labels().get(index);
  }
}
