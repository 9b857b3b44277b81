package io.advlab.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes encoded image bytes into an upright {@code TYPE_INT_RGB} image, or fails with a 4xx
 * problem: 415 when no reader recognises the bytes, 413 when the header declares more than
 * {@code maxPixels} (checked before any pixel is decoded, against decompression bombs), 422 when
 * the data is truncated or corrupt. The format is sniffed from the bytes (TwelveMonkeys readers
 * for JPEG incl. CMYK, WebP, BMP, TIFF; JDK readers for PNG and GIF); the client's file name and
 * content type are ignored. One reader per call, always disposed.
 */
final class ImageDecoder {

  /** Reader warnings that mean the pixels are incomplete (libjpeg: "Premature end of JPEG file"). */
  private static final List<String> TRUNCATION_WARNINGS = List.of("premature end", "truncat", "unexpected end", "eof");

  private final long maxPixels;
  private final DecodeBudget budget;

  ImageDecoder(long maxPixels) {
    this(maxPixels, DecodeBudget.unbounded());
  }

  ImageDecoder(long maxPixels, DecodeBudget budget) {
    this.maxPixels = maxPixels;
    this.budget = budget;
  }

  BufferedImage decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new ApiException(ProblemType.UNSUPPORTED_IMAGE, "The image is empty (0 bytes).");
    }
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      ImageReader reader = readerFor(in);
      try {
        return read(reader, in, bytes);
      } finally {
        reader.dispose();
      }
    } catch (ApiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw corrupt(e);
    } catch (OutOfMemoryError e) {
      throw ApiException.overloaded("Not enough memory to decode this image right now.", 5);
    }
  }

  private BufferedImage read(ImageReader reader, ImageInputStream in, byte[] bytes) throws IOException {
    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
    reader.setInput(in, true, true);
    long width = reader.getWidth(0);
    long height = reader.getHeight(0);
    if (width <= 0 || height <= 0) {
      throw new ApiException(ProblemType.CORRUPT_IMAGE, "The " + format + " header declares an empty image.");
    }
    if (width * height > maxPixels) {
      throw new ApiException(ProblemType.IMAGE_DIMENSIONS_TOO_LARGE, "The image is " + width + "x" + height + " = "
          + width * height + " pixels; the limit is " + maxPixels + " pixels (advlab.image.max-pixels).")
          .with("width", width).with("height", height).with("maxPixels", maxPixels);
    }
    List<String> warnings = new ArrayList<>();
    IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
    reader.addIIOReadWarningListener(listener);
    try (DecodeBudget.Lease lease = budget.acquire(width * height)) {
      BufferedImage decoded = reader.read(0);
      for (String warning : warnings) {
        String w = String.valueOf(warning).toLowerCase(Locale.ROOT);
        if (TRUNCATION_WARNINGS.stream().anyMatch(w::contains)) {
          throw new ApiException(ProblemType.CORRUPT_IMAGE, "The " + format + " data is truncated: " + warning);
        }
      }
      BufferedImage rgb = RgbImages.toRgb(decoded);
      return "jpeg".equals(format) ? RgbImages.orient(rgb, ExifOrientation.of(bytes)) : rgb;
    }
  }

  private static ImageReader readerFor(ImageInputStream in) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      try {
        // WBMP has no signature: its reader claims many random byte strings.
        if (!"wbmp".equalsIgnoreCase(reader.getFormatName())) {
          return reader;
        }
      } catch (IOException e) {
        // a reader that cannot name its format is skipped
      }
      reader.dispose();
    }
    throw new ApiException(ProblemType.UNSUPPORTED_IMAGE,
        "The data is not an image in a supported format (JPEG, PNG, GIF, BMP, WebP, TIFF).");
  }

  private static ApiException corrupt(Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (why.length() > 200) {
      why = why.substring(0, 200) + "...";
    }
    return new ApiException(ProblemType.CORRUPT_IMAGE, "The image could not be decoded (corrupt or truncated): " + why, e);
  }
}
