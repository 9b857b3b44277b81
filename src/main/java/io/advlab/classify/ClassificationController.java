package io.advlab.classify;

import io.advlab.image.ImageInput;
import io.advlab.problem.ApiErrorResponses;
import io.advlab.problem.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/classifications}: JSON with a URL or base64; {@code POST
 * /api/v1/classifications/upload}: multipart upload.
 */
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

  @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "classifyUpload", summary = "Classify an uploaded image (or a URL given as a form field)",
      description = "Send the image as the `image` file part, or a `url` field instead. JPEG (RGB, grayscale,"
          + " CMYK), PNG, GIF, BMP, WebP and TIFF are decoded; EXIF orientation is applied and alpha is"
          + " composited on white.",
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = ClassificationUpload.class))))
  @ApiErrorResponses
  ClassificationResponse classifyUpload(@Parameter(hidden = true) @Valid @ModelAttribute ClassificationUpload form) {
    int topK = form.topK() == null ? DEFAULT_TOP_K : form.topK();
    return service.classify(new ImageInput(form.image(), form.url(), null), form.model(), topK,
        parseDefence(form.defence()));
  }

  /**
   * The upload at the JSON operation's path, as advlab took it before uploads had their own path
   * (README's curl examples, scripts): still served, but left out of the OpenAPI document, where
   * one operation has one body type.
   */
  @Hidden
  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  ClassificationResponse classifyUploadAtJsonPath(@Valid @ModelAttribute ClassificationUpload form) {
    return classifyUpload(form);
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
  @Operation(operationId = "classifyImage", summary = "Classify an image given by URL or base64")
  @ApiErrorResponses
  ClassificationResponse classifyJson(@Valid @RequestBody ClassificationRequest request) {
    int topK = request.topK() == null ? DEFAULT_TOP_K : request.topK();
    return service.classify(new ImageInput(null, request.url(), request.imageBase64()), request.model(), topK,
        request.defence());
  }
}
