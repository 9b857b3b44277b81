package io.advlab.image;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Fetches an image URL without becoming an SSRF proxy: http(s) only; the host is resolved once
 * and every address must pass {@link AddressPolicy} (unless the host is allow-listed); the
 * connection goes to exactly those vetted addresses (a resolver pinned to them, so a second DNS
 * answer cannot rebind the name); no proxy; redirects are followed by hand, each target vetted
 * again, at most {@code maxRedirects}; connect, read and whole-fetch time limits; the body is
 * read with a byte cap and must be declared an image (or octet-stream). All failures are 4xx
 * problems naming the field {@code url}.
 */
final class ImageFetcher {

  static final String FIELD = "url";

  private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "advlab-fetch-deadline");
    t.setDaemon(true);
    return t;
  });

  private final ImageProperties.Url config;
  private final long maxBytes;
  private final AddressPolicy policy;
  private final HostResolver resolver;

  /** Looks a host name up; tests swap in a scripted one to prove the connection is pinned. */
  interface HostResolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  ImageFetcher(ImageProperties properties) {
    this(properties, InetAddress::getAllByName);
  }

  ImageFetcher(ImageProperties properties, HostResolver resolver) {
    this.config = properties.url();
    this.maxBytes = properties.maxBytes().toBytes();
    this.policy = new AddressPolicy(config.allowedHosts());
    this.resolver = resolver;
  }

  /** The body of {@code url} after redirects, at most {@code maxBytes} long. */
  byte[] fetch(String url) {
    URI uri = FetchUrls.parse(url);
    long deadline = System.nanoTime() + config.deadline().toNanos();
    for (int redirects = 0; ; redirects++) {
      InetAddress[] addresses = vet(uri);
      Hop hop = get(uri, addresses, deadline);
      if (hop.location() == null) {
        return hop.body();
      }
      if (redirects >= config.maxRedirects()) {
        throw failed("The URL redirected more than " + config.maxRedirects() + " times.");
      }
      uri = FetchUrls.redirectTarget(uri, hop.location());
    }
  }

  /** A response: either a body or a redirect location. */
  private record Hop(byte[] body, String location) {}

  /** The SSRF checks of {@link #fetch} alone, without fetching. */
  void vetUrl(String url) {
    vet(FetchUrls.parse(url));
  }

  private InetAddress[] vet(URI uri) {
    String host = uri.getHost();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw failed("The host '" + abbreviate(host) + "' could not be resolved.");
    }
    if (!policy.isAllowListed(host)) {
      for (InetAddress address : addresses) {
        if (!AddressPolicy.isPublic(address)) {
          throw blocked("The host '" + abbreviate(host) + "' is not a public address; advlab fetches only public"
              + " addresses (an operator can allow on-premise hosts with advlab.image.url.allowed-hosts).");
        }
      }
    }
    return addresses;
  }

  private Hop get(URI uri, InetAddress[] addresses, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw failed("Fetching the URL took longer than " + config.deadline().toMillis() + " ms.");
    }
    HttpGet request = new HttpGet(uri);
    request.setHeader("Accept", "image/*, application/octet-stream;q=0.5");
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
      expired.set(true);
      request.cancel();
    }, remaining, TimeUnit.NANOSECONDS);
    try (CloseableHttpClient client = PinnedHttpClients.create(addresses, config)) {
      return client.execute(request, this::read);
    } catch (ApiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (expired.get()) {
        throw failed("Fetching the URL took longer than " + config.deadline().toMillis() + " ms.");
      }
      throw failed(describe(e));
    } finally {
      timer.cancel(false);
    }
  }

  private Hop read(ClassicHttpResponse response) throws IOException {
    int code = response.getCode();
    if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
      Header location = response.getFirstHeader("Location");
      if (location == null) {
        throw failed("The URL answered HTTP " + code + " without a Location.");
      }
      return new Hop(null, location.getValue());
    }
    if (code < 200 || code >= 300) {
      throw failed("The URL answered HTTP " + code + ".");
    }
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      throw failed("The URL answered without a body.");
    }
    checkContentType(entity.getContentType());
    if (entity.getContentLength() > maxBytes) {
      throw tooLarge();
    }
    try (InputStream in = entity.getContent()) {
      return new Hop(readCapped(in), null);
    }
  }

  private void checkContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return; // the decoder sniffs the bytes anyway
    }
    String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.startsWith("image/") && !mime.equals("application/octet-stream") && !mime.equals("binary/octet-stream")) {
      throw new ApiException(ProblemType.UNSUPPORTED_IMAGE, "The URL served '" + abbreviate(mime)
          + "', not an image (expected image/* or application/octet-stream).").with("field", FIELD);
    }
  }

  private byte[] readCapped(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      if (out.size() + (long) n > maxBytes) {
        throw tooLarge();
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private String describe(Exception e) {
    if (e instanceof ConnectTimeoutException) {
      return "Connecting to the URL's host timed out after " + config.connectTimeout().toMillis() + " ms.";
    } else if (e instanceof SocketTimeoutException) {
      return "The URL's host stopped sending data for " + config.readTimeout().toMillis() + " ms.";
    } else if (e instanceof HttpHostConnectException) {
      return "The URL's host refused the connection or could not be reached.";
    }
    return "The URL could not be fetched (" + e.getClass().getSimpleName() + ").";
  }

  private ApiException tooLarge() {
    return new ApiException(ProblemType.IMAGE_TOO_LARGE, "The URL's body is larger than the limit of " + maxBytes
        + " bytes (advlab.image.max-bytes).").with("field", FIELD);
  }

  static ApiException failed(String detail) {
    return new ApiException(ProblemType.URL_FETCH_FAILED, detail).with("field", FIELD);
  }

  static ApiException blocked(String detail) {
    return new ApiException(ProblemType.URL_NOT_ALLOWED, detail).with("field", FIELD);
  }

  static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
