package io.advlab.attack;

import io.advlab.image.ImageInput;
import io.advlab.problem.ApiErrorResponses;
import io.advlab.problem.ApiException;
import io.advlab.problem.Problem;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v1/attacks}: the attack catalogue, and attacks on an uploaded, fetched or base64 image. */
@RestController
@RequestMapping("/api/v1/attacks")
@Tag(name = "Attacks", description = "Adversarial examples: noise, semantic, FGSM, PGD, DeepFool")
class AttackController {

  private final AttackService service;
  private final AttackCatalogue catalogue;
  private final AttackTargets targets;
  private final JsonMapper json;

  AttackController(AttackService service, AttackCatalogue catalogue, AttackTargets targets, JsonMapper json) {
    this.service = service;
    this.catalogue = catalogue;
    this.targets = targets;
    this.json = json;
  }

  /** The catalogue: every method, its parameters, defaults and ranges. */
  @Schema(name = "AttackCatalogue", requiredProperties = "methods")
  record Catalogue(List<MethodSpec> methods) {}

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listAttacks", summary = "The attack catalogue",
      description = "Every attack method with its parameters (type, default, min, max, allowed values),"
          + " whether it accepts a target and whether it needs gradients (white-box).")
  @ApiResponse(responseCode = "200", description = "The catalogue")
  @ApiResponse(responseCode = "400", description = "Malformed `model`",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "404", description = "No such model or version",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  Catalogue catalogue(@Parameter(description = "Model whose classes and input size bound the parameters (digits or"
      + " digits:2); default: the default model") @RequestParam(name = "model", required = false) String model) {
    return targets.with(model, target -> {
      ModelShape shape = target.shape();
      return new Catalogue(catalogue.methods(shape.classes(), shape.inputSize()));
    });
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "attackImage", summary = "Attack an image given by URL or base64",
      description = "Runs the attack on the preprocessed image in pixel space [0,1] and returns the predictions"
          + " before and after, the perturbation's size, the adversarial image and the perturbation as PNGs,"
          + " and whether the 8-bit PNG itself still fools the model (`quantizedSuccess`). Every eps and step"
          + " is in pixel units (8/255 ≈ 0.031 is the usual L∞ budget).")
  @ApiErrorResponses
  AttackResponse attackJson(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
          @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AttackRequest.class),
          examples = {
              @ExampleObject(name = "pgd", summary = "PGD-20 L∞ eps 0.1",
                  value = "{\"url\": \"https://example.org/seven.png\", \"method\": \"pgd\", \"params\": {\"eps\": 0.1,"
                      + " \"stepSize\": 0.025, \"steps\": 20, \"randomStart\": true, \"seed\": 1}}"),
              @ExampleObject(name = "targeted-pgd", summary = "Targeted PGD towards class 3",
                  value = "{\"url\": \"https://example.org/seven.png\", \"method\": \"pgd\", \"params\": {\"eps\": 0.3,"
                      + " \"stepSize\": 0.03, \"steps\": 40}, \"target\": 3}"),
              @ExampleObject(name = "fgsm", summary = "FGSM eps 8/255",
                  value = "{\"imageBase64\": \"iVBORw0KGgoAAAANSUhEUgAA...\", \"method\": \"fgsm\", \"params\": {\"eps\": 0.0314}}"),
              @ExampleObject(name = "deepfool", summary = "DeepFool L2",
                  value = "{\"url\": \"https://example.org/seven.png\", \"method\": \"deepfool\", \"params\":"
                      + " {\"overshoot\": 0.02, \"maxIter\": 50, \"candidates\": 10}}"),
              @ExampleObject(name = "noise", summary = "Uniform noise eps 0.1",
                  value = "{\"url\": \"https://example.org/seven.png\", \"method\": \"noise\", \"params\": {\"eps\": 0.1, \"seed\": 7}}"),
              @ExampleObject(name = "semantic", summary = "Negative image",
                  value = "{\"url\": \"https://example.org/seven.png\", \"method\": \"semantic\"}")})})
      @RequestBody AttackRequest request) {
    return targets.with(request.model(), target -> service.attack(target,
        new ImageInput(null, request.url(), request.imageBase64()), request.method(), request.params(),
        request.target(), request.deadlineMs(), request.defence()));
  }

  @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "attackUpload", summary = "Attack an uploaded image",
      description = "The image as the `image` file part (or a `url` field), the method as `method`, its"
          + " parameters as a JSON object in the `params` field, e.g. `curl -F image=@seven.png -F method=pgd"
          + " -F 'params={\"eps\":0.1,\"steps\":20}' -F target=3 .../api/v1/attacks/upload`.",
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = AttackUploadForm.class))))
  @ApiErrorResponses
  AttackResponse attackUpload(@Parameter(hidden = true) @ModelAttribute AttackUploadForm form) {
    Map<String, Object> parsed = parseObject("params", form.params(), "{\"eps\": 0.1}");
    Map<String, Object> parsedDefence = form.defence() == null || form.defence().isBlank() ? null
        : parseObject("defence", form.defence(), "{\"type\": \"randomization\"}");
    return targets.with(form.model(), attackTarget -> service.attack(attackTarget,
        new ImageInput(form.image(), form.url(), null), form.method(), parsed, form.target(), form.deadlineMs(),
        parsedDefence));
  }

  /**
   * The upload at the JSON operation's path, as advlab took it before uploads had their own path
   * (README's curl examples, scripts): still served, but left out of the OpenAPI document, where
   * one operation has one body type.
   */
  @Hidden
  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  AttackResponse attackUploadAtJsonPath(@ModelAttribute AttackUploadForm form) {
    return attackUpload(form);
  }

  private Map<String, Object> parseObject(String field, String text, String example) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try {
      return json.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JacksonException e) {
      throw ApiException.invalidField(field, "'" + field + "' must be a JSON object, e.g. " + example + ".");
    }
  }
}
