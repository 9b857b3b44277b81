package io.advlab.image;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.web.multipart.MultipartFile;

/**
 * The image a request names, in exactly one of three ways: an uploaded file, a URL to fetch, or
 * base64 data. Shared by every endpoint that takes an image.
 *
 * @param file the multipart {@code image} part
 * @param url an http(s) URL advlab fetches (public addresses only)
 * @param base64 base64 bytes or a {@code data:image/...;base64,} URI
 */
public record ImageInput(MultipartFile file, String url, String base64) {

  /** Decodes the one image named; 400 when none or several are given. */
  public BufferedImage load(ImageLoader loader) {
    boolean hasFile = file != null && !file.isEmpty();
    boolean hasUrl = url != null && !url.isBlank();
    boolean hasBase64 = base64 != null && !base64.isBlank();
    int given = (hasFile ? 1 : 0) + (hasUrl ? 1 : 0) + (hasBase64 ? 1 : 0);
    if (given == 0) {
      throw new ApiException(ProblemType.MISSING_IMAGE,
          "Send the image as a multipart 'image' file, a 'url' to fetch, or 'imageBase64'.");
    }
    if (given > 1) {
      throw new ApiException(ProblemType.INVALID_REQUEST,
          "Give exactly one of 'image', 'url' and 'imageBase64'.").with("field", "image");
    }
    if (hasUrl) {
      return loader.fromUrl(url.strip());
    }
    if (hasBase64) {
      return loader.fromBase64(base64);
    }
    try (InputStream in = file.getInputStream()) {
      return loader.fromStream(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
