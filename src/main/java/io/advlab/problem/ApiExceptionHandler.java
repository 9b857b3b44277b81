package io.advlab.problem;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Maps every failure to an RFC 9457 problem+json body with a stable {@code type} from
 * {@link ProblemType}. Client errors name the offending {@code field} where there is one; load
 * errors carry {@code Retry-After}; anything unexpected becomes a 500 without internals.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final DataSize maxUpload;

  ApiExceptionHandler(@Value("${spring.servlet.multipart.max-file-size:10MB}") DataSize maxUpload) {
    this.maxUpload = maxUpload;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Object> handleApi(ApiException e, HttpServletRequest request) {
    ProblemDetail problem = problem(e.type(), e.getMessage());
    e.properties().forEach(problem::setProperty);
    HttpHeaders headers = new HttpHeaders();
    if (e.properties().get("retryAfterSeconds") instanceof Integer seconds) {
      headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(seconds));
    }
    return respond(problem, headers);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Object> handleTypeMismatch(MethodArgumentTypeMismatchException e) {
    return invalid(e.getName(), "'" + e.getValue() + "' is not a valid value for '" + e.getName() + "'.");
  }

  @ExceptionHandler(MultipartException.class)
  ResponseEntity<Object> handleMultipart(MultipartException e) {
    if (e instanceof MaxUploadSizeExceededException || hasCause(e, "SizeLimitExceeded")) {
      return respond(problem(ProblemType.IMAGE_TOO_LARGE, uploadTooLarge()), new HttpHeaders());
    }
    return respond(problem(ProblemType.INVALID_REQUEST, "Malformed multipart request: " + e.getMessage()), new HttpHeaders());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> handleUnexpected(Exception e, HttpServletRequest request) {
    log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return respond(problem(ProblemType.INTERNAL_ERROR, "An unexpected error occurred; it has been logged."), new HttpHeaders());
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<FieldError> errors = e.getBindingResult().getFieldErrors();
    if (errors.isEmpty()) {
      return invalid(null, "The request is invalid.");
    }
    FieldError first = errors.get(0);
    if (first.isBindingFailure()) {
      // A form field of the wrong type ("topK=five"): Spring's message names Java types and methods.
      Class<?> expected = e.getBindingResult().getFieldType(first.getField());
      return invalid(first.getField(), "'" + first.getField() + "' " + (expected == null ? "has an invalid value"
          : "must be " + jsonType(expected)) + " (got " + first.getRejectedValue() + ").");
    }
    return invalid(first.getField(), "'" + first.getField() + "' " + first.getDefaultMessage()
        + " (got " + first.getRejectedValue() + ").");
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    var result = e.getParameterValidationResults().get(0);
    String field = result.getMethodParameter().getParameterName();
    MessageSourceResolvable error = result.getResolvableErrors().get(0);
    return invalid(field, "'" + field + "' " + error.getDefaultMessage() + " (got " + result.getArgument() + ").");
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return invalid(e.getParameterName(), "Parameter '" + e.getParameterName() + "' is required.");
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (RequestBodyLimitFilter.isLimitExceeded(e)) {
      return respond(problem(ProblemType.REQUEST_TOO_LARGE, RequestBodyLimitFilter.tooLargeDetail()), new HttpHeaders());
    }
    Throwable cause = e.getMostSpecificCause();
    if (cause instanceof DatabindException bad && !bad.getPath().isEmpty()) {
      String field = path(bad.getPath());
      Class<?> expected = bad instanceof MismatchedInputException m ? m.getTargetType() : null;
      return invalid(field, "'" + field + "' " + (expected == null ? "has an invalid value."
          : "must be " + jsonType(expected) + "."));
    }
    if (cause == e || cause instanceof DatabindException) {
      // Spring's and Jackson's own messages here name Java methods and types, which mean nothing to a client.
      return invalid(null, e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
          ? "The request body is missing: send a JSON object." : "The request body does not fit this operation.");
    }
    return respond(problem(ProblemType.INVALID_REQUEST, "The request body is not valid JSON for this operation: "
        + firstLine(cause.getMessage())), new HttpHeaders());
  }

  /** A JSON path as clients write it: {@code params}, {@code items[2].name}. */
  private static String path(List<JacksonException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference r : references) {
      if (r.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** The JSON kind a Java type is read from, for messages without Java names. */
  private static String jsonType(Class<?> type) {
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a JSON object";
    } else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    } else if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "an integer";
    } else if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    } else if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    } else if (type == String.class) {
      return "a string";
    }
    return "of another type";
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return respond(problem(ProblemType.IMAGE_TOO_LARGE, uploadTooLarge()), new HttpHeaders());
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    ProblemType type = typeOf(e, status);
    ProblemDetail problem = body instanceof ProblemDetail pd ? pd : ProblemDetail.forStatus(status);
    problem.setType(type.uri());
    problem.setTitle(type.title());
    if (problem.getDetail() == null) {
      // Every problem has a detail (the OpenAPI document promises it): the type's title where Spring has no words.
      problem.setDetail(e.getMessage() != null ? e.getMessage() : type.title() + ".");
    }
    HttpHeaders out = new HttpHeaders();
    out.addAll(headers);
    out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(problem, out, status);
  }

  private static ProblemType typeOf(Exception e, HttpStatusCode status) {
    if (e instanceof HttpMediaTypeNotSupportedException) {
      return ProblemType.UNSUPPORTED_MEDIA_TYPE;
    } else if (e instanceof HttpMediaTypeNotAcceptableException) {
      return ProblemType.NOT_ACCEPTABLE;
    } else if (e instanceof HttpRequestMethodNotSupportedException) {
      return ProblemType.METHOD_NOT_ALLOWED;
    } else if (e instanceof NoResourceFoundException) {
      return ProblemType.NOT_FOUND;
    }
    return status.is4xxClientError() ? ProblemType.INVALID_REQUEST : ProblemType.INTERNAL_ERROR;
  }

  private ResponseEntity<Object> invalid(String field, String detail) {
    ProblemDetail problem = problem(ProblemType.INVALID_REQUEST, detail);
    if (field != null) {
      problem.setProperty("field", field);
    }
    return respond(problem, new HttpHeaders());
  }

  private static ProblemDetail problem(ProblemType type, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
    problem.setType(type.uri());
    problem.setTitle(type.title());
    return problem;
  }

  private static ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers) {
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(problem, headers, problem.getStatus());
  }

  private String uploadTooLarge() {
    return "The upload is larger than the limit of " + maxUpload + " (advlab.image.max-bytes).";
  }

  private static boolean hasCause(Throwable e, String simpleNamePart) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getClass().getSimpleName().contains(simpleNamePart)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable body";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
