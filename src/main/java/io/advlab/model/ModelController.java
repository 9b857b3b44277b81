package io.advlab.model;

import io.advlab.problem.ApiException;
import io.advlab.problem.Problem;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading the served models: the list with every version's state, one model, its labels. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Models", description = "The served models, their versions, labels and management")
@ApiResponse(responseCode = "400", description = "Invalid parameter (the `field` member names it)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
class ModelController {

  private final ModelRegistry registry;

  ModelController(ModelRegistry registry) {
    this.registry = registry;
  }

  /** Every model with its versions, and the default model. */
  @Schema(requiredProperties = "models")
  record ModelList(List<ModelStatus> models, String defaultModel) {}

  /** One version, with the network's description once it is READY. */
  @Schema(requiredProperties = {"name", "status"})
  record VersionDetails(String name, ModelStatus.Version status, ModelInfo info) {}

  @GetMapping("/models")
  @ApiResponse(responseCode = "200", description = "The models")
  @Operation(operationId = "listModels", summary = "Every model, its versions and their state",
      description = "States are LOADING, READY, FAILED (with the reason in words) and UNLOADED.")
  ModelList models() {
    return new ModelList(registry.status(), registry.defaultModel());
  }

  @GetMapping("/models/{name}")
  @ApiResponse(responseCode = "200", description = "The model and its versions")
  @Operation(operationId = "getModelVersions", summary = "One model and its versions")
  @ApiResponse(responseCode = "404", description = "No such model",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ModelStatus modelVersions(@PathVariable String name) {
    return registry.status(registry.slot(name, false));
  }

  @GetMapping("/models/{name}/versions/{version}")
  @ApiResponse(responseCode = "200", description = "The version")
  @Operation(operationId = "getModelVersion", summary = "One version: state, source, metadata and, once READY,"
      + " input shape, preprocessing and classes")
  @ApiResponse(responseCode = "404", description = "No such model or version",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  VersionDetails version(@PathVariable String name, @PathVariable int version) {
    ServedModel served = registry.version(name, version);
    ModelStatus.Version status = registry.status(registry.slot(name, false)).versions().stream()
        .filter(v -> v.version() == version).findFirst().orElseThrow();
    ModelInfo info = null;
    ServedModel.Lease lease = served.tryLease();
    if (lease != null) {
      try (lease) {
        info = ModelInfo.of(served);
      }
    }
    return new VersionDetails(name, status, info);
  }

  @GetMapping("/model")
  @ApiResponse(responseCode = "200", description = "The model")
  @Operation(operationId = "getModel", summary = "Name, version, source, device, input shape, preprocessing, classes"
      + " and size of a model (the default one unless `model` names another)")
  @ApiResponse(responseCode = "404", description = "No such model or version",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "503", description = "The model is not ready",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ModelInfo model(@Parameter(description = "Model name, optionally with a version (digits or digits:2)")
      @RequestParam(name = "model", required = false) String model) {
    try (ServedModel.Lease lease = registry.acquire(model)) {
      return ModelInfo.of(lease.served());
    }
  }

  @GetMapping("/labels")
  @ApiResponse(responseCode = "200", description = "The labels from `offset`")
  @Operation(operationId = "listLabels", summary = "A model's class labels, whole or a page at a time")
  @ApiResponse(responseCode = "400", description = "Invalid offset or limit",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  LabelPage labels(
      @Parameter(description = "Index of the first label") @RequestParam(defaultValue = "0") @Min(0) int offset,
      @Parameter(description = "Most labels to return; omit for all") @RequestParam(required = false) @Min(1) @Max(100000) Integer limit,
      @Parameter(description = "Model name, optionally with a version; default: the default model")
      @RequestParam(name = "model", required = false) String model) {
    try (ServedModel.Lease lease = registry.acquire(model)) {
      List<Labels.Label> all = lease.served().model().labels().all();
      int from = Math.min(offset, all.size());
      int size = limit == null ? all.size() : limit;
      int to = (int) Math.min((long) from + size, all.size());
      return new LabelPage(all.subList(from, to), offset, size, all.size());
    }
  }

  @GetMapping("/labels/{index}")
  @ApiResponse(responseCode = "200", description = "The label")
  @Operation(operationId = "getLabel", summary = "One class label by index")
  @ApiResponse(responseCode = "400", description = "The index is not an integer",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "404", description = "No class with that index",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  Labels.Label label(@PathVariable int index,
      @Parameter(description = "Model name, optionally with a version; default: the default model")
      @RequestParam(name = "model", required = false) String model) {
    try (ServedModel.Lease lease = registry.acquire(model)) {
      Labels labels = lease.served().model().labels();
      if (index < 0 || index >= labels.size()) {
        throw new ApiException(ProblemType.NOT_FOUND,
            "No label " + index + ": the model has labels 0.." + (labels.size() - 1) + ".").with("field", "index");
      }
      return labels.get(index);
    }
  }
}
