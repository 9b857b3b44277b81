package io.advlab.image;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns what a client sends (bytes, a stream, base64 or a URL) into an upright
 * {@code TYPE_INT_RGB} image within the configured limits, or throws an {@link ApiException} that
 * becomes a 4xx problem (never a 500 for bad input).
 */
@Component
public class ImageLoader {

  static final String BASE64_FIELD = "imageBase64";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final long maxBytes;
  private final ImageDecoder decoder;
  private final ImageFetcher fetcher;

  /** With {@link ImageProperties#defaults()}, for use outside Spring. */
  public ImageLoader() {
    this(ImageProperties.defaults());
  }

  @Autowired
  public ImageLoader(ImageProperties properties) {
    this.maxBytes = properties.maxBytes().toBytes();
    this.decoder = new ImageDecoder(properties.maxPixels(),
        new DecodeBudget(properties.maxPixelsInFlight(), properties.decodeWait()));
    this.fetcher = new ImageFetcher(properties);
  }

  /**
   * Checks a URL against the same SSRF rules as image fetches (http(s) only, every resolved
   * address public unless allow-listed), for other downloads such as model archives; a 4xx
   * problem naming {@code url} when it fails.
   */
  public void vetUrl(String url) {
    fetcher.vetUrl(url);
  }

  /** Decodes encoded image bytes (any supported format, sniffed). */
  public BufferedImage fromBytes(byte[] bytes) {
    if (bytes.length > maxBytes) {
      throw tooLarge(bytes.length);
    }
    return decoder.decode(bytes);
  }

  /** Reads at most {@code maxBytes} from {@code in} and decodes them. */
  public BufferedImage fromStream(InputStream in) {
    try {
      return fromBytes(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes base64 (standard or URL-safe alphabet, line breaks allowed) or a
   * {@code data:image/...;base64,} URI; 400 naming {@code imageBase64} when it is not valid.
   */
  public BufferedImage fromBase64(String text) {
    String data = WHITESPACE.matcher(stripDataUri(text)).replaceAll("");
    if ((long) data.length() / 4 * 3 > maxBytes) {
      throw tooLarge((long) data.length() / 4 * 3);
    }
    byte[] bytes;
    try {
      bytes = (data.indexOf('-') >= 0 || data.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(data);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(BASE64_FIELD, "'imageBase64' is not valid base64: " + e.getMessage());
    }
    return fromBytes(bytes);
  }

  /** Fetches an http(s) URL under the SSRF policy and decodes the body. */
  public BufferedImage fromUrl(String url) {
    return decoder.decode(fetcher.fetch(url));
  }

  private static String stripDataUri(String text) {
    String s = text.strip();
    if (!s.regionMatches(true, 0, "data:", 0, 5)) {
      return s;
    }
    int comma = s.indexOf(',');
    String header = (comma < 0 ? s : s.substring(0, comma)).toLowerCase(Locale.ROOT);
    if (comma < 0 || !header.endsWith(";base64")) {
      throw ApiException.invalidField(BASE64_FIELD, "A data URI in 'imageBase64' must look like 'data:image/png;base64,...'.");
    }
    String mediaType = header.substring(5, header.indexOf(';'));
    if (!mediaType.isEmpty() && !mediaType.startsWith("image/") && !mediaType.equals("application/octet-stream")) {
      throw new ApiException(ProblemType.UNSUPPORTED_IMAGE, "The data URI in 'imageBase64' is '" + mediaType
          + "', not an image.").with("field", BASE64_FIELD);
    }
    return s.substring(comma + 1);
  }

  private ApiException tooLarge(long bytes) {
    return new ApiException(ProblemType.IMAGE_TOO_LARGE, "The image is " + bytes + " bytes; the limit is " + maxBytes
        + " bytes (advlab.image.max-bytes).");
  }
}
