package io.advlab.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps non-multipart request bodies (JSON with base64 images), which Spring would otherwise read
 * whole into memory: a declared {@code Content-Length} over the cap is refused at once with 413,
 * a chunked body is cut off when it passes the cap. Multipart uploads and raw archive uploads
 * (model archives, streamed to disk under their own caps) are left to their endpoints.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyLimitFilter extends OncePerRequestFilter {

  /** Content types of raw archive uploads, which their endpoints stream to disk with their own cap. */
  public static final java.util.List<String> ARCHIVE_TYPES = java.util.List.of("application/zip", "application/gzip",
      "application/x-gzip", "application/x-tar", "application/octet-stream");

  private static final String LIMIT_MESSAGE = "advlab request body limit exceeded";
  private static volatile DataSize configuredLimit = DataSize.ofMegabytes(16);

  private final long maxBytes;

  RequestBodyLimitFilter(@Value("${advlab.http.max-json-body:16MB}") DataSize maxBody) {
    this.maxBytes = maxBody.toBytes();
    configuredLimit = maxBody;
  }

  static boolean isLimitExceeded(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException && LIMIT_MESSAGE.equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  static String tooLargeDetail() {
    return "The request body is larger than the limit of " + configuredLimit
        + " (advlab.http.max-json-body); upload large images as multipart instead.";
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) {
      return false;
    }
    String lower = type.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith(MediaType.MULTIPART_FORM_DATA_VALUE) || ARCHIVE_TYPES.stream().anyMatch(lower::startsWith);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      response.setStatus(413);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.getWriter().write("{\"type\":\"" + ProblemType.REQUEST_TOO_LARGE.uri() + "\",\"title\":\""
          + ProblemType.REQUEST_TOO_LARGE.title() + "\",\"status\":413,\"detail\":\"" + tooLargeDetail()
          + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
      return;
    }
    chain.doFilter(new LimitedRequest(request, maxBytes), response);
  }

  /** Counts bytes as they are read and fails once the cap is passed. */
  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedStream(super.getInputStream(), maxBytes);
      }
      return stream;
    }
  }

  private static final class LimitedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    LimitedStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > maxBytes) {
        throw new IOException(LIMIT_MESSAGE);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
