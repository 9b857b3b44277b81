package io.advlab.image;

import io.advlab.problem.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Which URLs advlab fetches: absolute http(s) URLs with a host and no credentials. */
final class FetchUrls {

  private static final String EXPECTED = "'url' must be an absolute http or https URL";

  private FetchUrls() {}

  /** The client's URL, or a 400 naming the field {@code url}. */
  static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw ApiException.invalidField(ImageFetcher.FIELD, EXPECTED + "; '" + ImageFetcher.abbreviate(url) + "' is malformed.");
    }
    if (!isHttp(uri)) {
      throw ApiException.invalidField(ImageFetcher.FIELD, EXPECTED + "; got scheme '" + scheme(uri) + "'.");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw ApiException.invalidField(ImageFetcher.FIELD, EXPECTED + "; '" + ImageFetcher.abbreviate(url) + "' has no host.");
    }
    if (uri.getRawUserInfo() != null) {
      throw ApiException.invalidField(ImageFetcher.FIELD, EXPECTED + "; credentials in the URL are not accepted.");
    }
    return uri;
  }

  /** Where a redirect's {@code Location} (absolute or relative) points; refused unless http(s). */
  static URI redirectTarget(URI from, String location) {
    URI target;
    try {
      target = from.resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw ImageFetcher.failed("The URL redirected to a malformed location.");
    }
    if (!isHttp(target) || target.getHost() == null || target.getRawUserInfo() != null) {
      throw ImageFetcher.blocked("The URL redirected to a location advlab does not fetch (only http and https URLs are).");
    }
    return target;
  }

  private static boolean isHttp(URI uri) {
    String scheme = scheme(uri);
    return scheme.equals("http") || scheme.equals("https");
  }

  private static String scheme(URI uri) {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }
}
