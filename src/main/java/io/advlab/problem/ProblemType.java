package io.advlab.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every problem advlab reports, with its HTTP status and a stable RFC 9457 {@code type} URI.
 * Clients may switch on the type; its slug never changes once released.
 */
public enum ProblemType {
  INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),
  MISSING_IMAGE(HttpStatus.BAD_REQUEST, "missing-image", "No image in the request"),
  URL_NOT_ALLOWED(HttpStatus.BAD_REQUEST, "url-not-allowed", "Image URL not allowed"),
  URL_FETCH_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "url-fetch-failed", "Image URL could not be fetched"),
  IMAGE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "image-too-large", "Image too large"),
  IMAGE_DIMENSIONS_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "image-dimensions-too-large", "Image has too many pixels"),
  UNSUPPORTED_IMAGE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image", "Not a supported image"),
  CORRUPT_IMAGE(HttpStatus.UNPROCESSABLE_CONTENT, "corrupt-image", "Image could not be decoded"),
  UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Credentials required"),
  FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Credentials refused"),
  MANAGEMENT_DISABLED(HttpStatus.FORBIDDEN, "management-disabled", "Management operations disabled"),
  NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported request content type"),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
  REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request body too large"),
  OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Server busy, retry later"),
  MODEL_NOT_READY(HttpStatus.SERVICE_UNAVAILABLE, "model-not-ready", "Model not ready"),
  MODEL_NOT_FOUND(HttpStatus.NOT_FOUND, "model-not-found", "No such model or version"),
  MODEL_CONFLICT(HttpStatus.CONFLICT, "model-conflict", "Model state conflict"),
  STORE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Model store unavailable"),
  INVALID_ARCHIVE(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-archive", "Invalid archive"),
  ARCHIVE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "archive-too-large", "Archive too large"),
  DATASET_NOT_FOUND(HttpStatus.NOT_FOUND, "dataset-not-found", "No such data set"),
  DATASET_CONFLICT(HttpStatus.CONFLICT, "dataset-conflict", "Data set state conflict"),
  DATASET_EMPTY(HttpStatus.UNPROCESSABLE_CONTENT, "dataset-empty", "Data set has no images"),
  DATASET_TOO_LARGE(HttpStatus.UNPROCESSABLE_CONTENT, "dataset-too-large", "Data set has too many images"),
  DATASET_MISMATCH(HttpStatus.UNPROCESSABLE_CONTENT, "dataset-mismatch", "Data set classes do not match the model"),
  DATASETS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "datasets-unavailable", "Data set folder unavailable"),
  EVALUATION_NOT_FOUND(HttpStatus.NOT_FOUND, "evaluation-not-found", "No such evaluation"),
  EVALUATION_FINISHED(HttpStatus.CONFLICT, "evaluation-finished", "Evaluation already finished"),
  FINE_TUNING_NOT_FOUND(HttpStatus.NOT_FOUND, "fine-tuning-not-found", "No such fine-tuning"),
  FINE_TUNING_CONFLICT(HttpStatus.CONFLICT, "fine-tuning-conflict", "A fine-tuning of this model is running, or the job has finished"),
  TOO_MANY_JOBS(HttpStatus.TOO_MANY_REQUESTS, "too-many-jobs", "Too many evaluations queued or running"),
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error");

  /** Base of every problem type URI; README documents each slug. */
  public static final String BASE_URI = "https://advlab.io/problems/";

  private final HttpStatus status;
  private final String slug;
  private final String title;

  ProblemType(HttpStatus status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public HttpStatus status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public URI uri() {
    return URI.create(BASE_URI + slug);
  }
}
