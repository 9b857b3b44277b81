package io.advlab.classify;

import io.advlab.image.ImageInput;
import io.advlab.problem.ApiErrorResponses;
import io.advlab.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/v1/classifications}: multipart upload or JSON with a URL or base64. */
@RestController
@RequestMapping("/api/v1/classifications")
@Tag(name = "Classification", description = "What the model sees in an image")
class ClassificationController {

  static final int DEFAULT_TOP_K = 5;

  private final ClassificationService service;
  private final JsonMapper json;

  ClassificationController(ClassificationService service, JsonMapper json) {
    this.service = service;
    this.json = json;
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "classifyUpload", summary = "Classify an uploaded image (or a URL given as a form field)",
      description = "Send the image as the `image` file part, or a `url` field instead. JPEG (RGB, grayscale,"
          + " CMYK), PNG, GIF, BMP, WebP and TIFF are decoded; EXIF orientation is applied and alpha is"
          + " composited on white.")
  @ApiErrorResponses
  ClassificationResponse classifyUpload(
      @Parameter(description = "The image file") @RequestPart(name = "image", required = false) MultipartFile image,
      @Parameter(description = "http(s) URL to fetch instead of an upload") @RequestParam(name = "url", required = false) String url,
      @Parameter(description = "How many classes to return (1..1000)") @RequestParam(name = "topK", defaultValue = "5")
      @Min(1) @Max(1000) int topK,
      @Parameter(description = "Model name, optionally with a version (digits or digits:2); default: the default model")
      @RequestParam(name = "model", required = false) String model,
      @Parameter(description = "Defence to classify through, as a JSON object", example = "{\"type\": \"randomization\"}")
      @RequestParam(name = "defence", required = false) String defence) {
    return service.classify(new ImageInput(image, url, null), model, topK, parseDefence(defence));
  }

  private Map<String, Object> parseDefence(String defence) {
    if (defence == null || defence.isBlank()) {
      return null;
    }
    try {
      return json.readValue(defence, new TypeReference<Map<String, Object>>() {});
    } catch (JacksonException e) {
      throw ApiException.invalidField("defence", "'defence' must be a JSON object, e.g. {\"type\": \"randomization\"}.");
    }
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "classify", summary = "Classify an image given by URL or base64")
  @ApiErrorResponses
  ClassificationResponse classifyJson(@Valid @RequestBody ClassificationRequest request) {
    int topK = request.topK() == null ? DEFAULT_TOP_K : request.topK();
    return service.classify(new ImageInput(null, request.url(), request.imageBase64()), request.model(), topK,
        request.defence());
  }
}
