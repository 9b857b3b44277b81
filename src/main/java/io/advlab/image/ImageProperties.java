package io.advlab.image;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on the images advlab accepts and how it fetches image URLs.
 *
 * @param maxBytes largest encoded image (upload, base64 after decoding, or fetched body); also the
 *     multipart upload limit
 * @param maxPixels largest width x height, checked from the image header before decoding
 * @param maxPixelsInFlight pixels being decoded at once across all requests (at least
 *     {@code maxPixels}); bounds decoding memory at about 7 bytes per pixel
 * @param decodeWait how long a decode waits for its share of {@code maxPixelsInFlight} before 503
 * @param url how image URLs are fetched
 */
@ConfigurationProperties("advlab.image")
@Validated
public record ImageProperties(
    @DefaultValue("10MB") @NotNull DataSize maxBytes,
    @DefaultValue("40000000") @Min(1) long maxPixels,
    @DefaultValue("120000000") @Min(1) long maxPixelsInFlight,
    @DefaultValue("10s") @NotNull Duration decodeWait,
    @DefaultValue @Valid @NotNull Url url) {

  /**
   * URL fetching.
   *
   * @param connectTimeout limit on opening the TCP (and TLS) connection
   * @param readTimeout limit on any single wait for response bytes
   * @param deadline limit on the whole fetch, redirects included
   * @param maxRedirects redirects followed (each target is checked again)
   * @param allowedHosts host names or IP literals fetched even when they resolve to non-public
   *     addresses (on-premise servers); matched against the URL's host as written, ignoring case
   * @param userAgent the {@code User-Agent} header sent
   */
  public record Url(
      @DefaultValue("3s") @NotNull Duration connectTimeout,
      @DefaultValue("10s") @NotNull Duration readTimeout,
      @DefaultValue("20s") @NotNull Duration deadline,
      @DefaultValue("3") @Min(0) @Max(10) int maxRedirects,
      @DefaultValue List<String> allowedHosts,
      @DefaultValue("advlab-image-fetcher/0.1") String userAgent) {

    public Url {
      allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }
  }

  /** The defaults above, for code and tests that run without Spring. */
  public static ImageProperties defaults() {
    return new ImageProperties(DataSize.ofMegabytes(10), 40_000_000L, 120_000_000L, Duration.ofSeconds(10),
        new Url(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(20), 3, List.of(),
            "advlab-image-fetcher/0.1"));
  }
}
