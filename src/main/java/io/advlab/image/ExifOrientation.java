package io.advlab.image;

import java.nio.charset.StandardCharsets;

/**
 * Reads the EXIF orientation tag (0x0112 in IFD0, values 1..8) from a JPEG's APP1 segment without
 * decoding the image. Anything unexpected yields 1 (as stored): a broken EXIF block never fails
 * a request.
 */
final class ExifOrientation {

  private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final int ORIENTATION_TAG = 0x0112;
  private static final int TYPE_SHORT = 3;

  private ExifOrientation() {}

  /** The orientation of a JPEG, 1..8; 1 when absent or unreadable. */
  static int of(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
      return 1;
    }
    int i = 2;
    while (i + 4 <= jpeg.length) {
      if ((jpeg[i] & 0xff) != 0xff) {
        return 1;
      }
      int marker = jpeg[i + 1] & 0xff;
      if (marker == 0xff) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        return 1; // start of scan or end of image: no EXIF before the pixels
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2; // markers without a length
        continue;
      }
      int length = u16(jpeg, i + 2, false);
      if (length < 2) {
        return 1;
      }
      int start = i + 4;
      int end = Math.min(jpeg.length, i + 2 + length);
      if (marker == 0xe1 && startsWith(jpeg, start, end, EXIF)) {
        int orientation = fromTiff(jpeg, start + EXIF.length, end);
        if (orientation >= 1 && orientation <= 8) {
          return orientation;
        }
      }
      i += 2 + length;
    }
    return 1;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) {
      return 0;
    }
    boolean little;
    if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      little = true;
    } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      little = false;
    } else {
      return 0;
    }
    if (u16(b, tiff + 2, little) != 42) {
      return 0;
    }
    long ifd = u32(b, tiff + 4, little);
    if (ifd < 8 || ifd > end - tiff - 2) {
      return 0;
    }
    int p = tiff + (int) ifd;
    int entries = u16(b, p, little);
    for (int k = 0; k < entries; k++) {
      int e = p + 2 + 12 * k;
      if (e + 12 > end) {
        return 0;
      }
      if (u16(b, e, little) == ORIENTATION_TAG) {
        return u16(b, e + 2, little) == TYPE_SHORT ? u16(b, e + 8, little) : 0;
      }
    }
    return 0;
  }

  private static boolean startsWith(byte[] b, int at, int end, byte[] prefix) {
    if (at + prefix.length > end) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int at, boolean little) {
    int x = b[at] & 0xff;
    int y = b[at + 1] & 0xff;
    return little ? (y << 8) | x : (x << 8) | y;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long hi = u16(b, little ? at + 2 : at, little);
    long lo = u16(b, little ? at : at + 2, little);
    return (hi << 16) | lo;
  }
}
