package io.advlab.attack;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Attack results as 8-bit RGB PNGs: planar floats in [0,1] are rounded to the nearest gray level
 * ({@link Pixels#quantize}), so decoding the PNG gives exactly the quantized floats.
 */
final class AttackImages {

  private AttackImages() {}

  /**
   * PNG bytes of the image (8-bit RGB), written directly rather than through ImageIO, whose writer
   * tries all five filters on every row: each row uses the Sub filter and deflate runs at its
   * fastest level. Attack images are small and noisy, so stronger compression would cost
   * milliseconds per request for a few percent of size. Where the filtered bytes are mostly not
   * zero (a perturbed photo, a perturbation map), deflate only Huffman-codes them ({@link
   * #HUFFMAN_BELOW}).
   */
  static byte[] png(float[] chw, int width, int height) {
    int plane = width * height;
    int stride = 1 + 3 * width;
    byte[] raw = new byte[height * stride];
    for (int y = 0; y < height; y++) {
      int at = y * stride;
      raw[at++] = 1; // filter type Sub: each byte minus the same channel of the pixel to its left
      int r0 = 0;
      int g0 = 0;
      int b0 = 0;
      for (int x = 0, i = y * width; x < width; x++, i++) {
        int r = Pixels.gray(chw[i]);
        int g = Pixels.gray(chw[plane + i]);
        int b = Pixels.gray(chw[2 * plane + i]);
        raw[at++] = (byte) (r - r0);
        raw[at++] = (byte) (g - g0);
        raw[at++] = (byte) (b - b0);
        r0 = r;
        g0 = g;
        b0 = b;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 1024);
    out.writeBytes(PNG_SIGNATURE);
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB, no interlace
    chunk(out, "IHDR", header.array(), header.position());
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    if (zeros(raw) < raw.length * HUFFMAN_BELOW) {
      deflater.setStrategy(Deflater.HUFFMAN_ONLY);
    }
    try {
      deflater.setInput(raw);
      deflater.finish();
      byte[] data = new byte[raw.length + raw.length / 100 + 64];
      int length = 0;
      while (!deflater.finished()) {
        if (length == data.length) {
          data = Arrays.copyOf(data, data.length * 2);
        }
        length += deflater.deflate(data, length, data.length - length);
      }
      chunk(out, "IDAT", data, length);
    } finally {
      deflater.end();
    }
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  /**
   * The share of zero bytes after the Sub filter (pixels equal to their left neighbour) below which
   * deflate skips its search for repeats. Why: in a perturbed image repeats are rare and the search
   * is most of the encoding time. Deflate alone, on 224x224 images (2-core machine): a PGD result 4.0
   * against 1.4 ms at the same size, its perturbation map 5.9 against 1.5 ms and 6 % smaller, the
   * unperturbed butterfly photo 5.8 against 2.8 ms and 4 % larger; a flat image, whose bytes are
   * nearly all zero, 1.5 KB with the search and 19 KB without, so it keeps it.
   */
  static final double HUFFMAN_BELOW = 0.25;

  private static int zeros(byte[] raw) {
    int zeros = 0;
    for (byte b : raw) {
      zeros += b == 0 ? 1 : 0;
    }
    return zeros;
  }

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data, 0, length);
    out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
    out.writeBytes(name);
    out.write(data, 0, length);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /**
   * The perturbation made visible: mid-gray is no change, and the largest absolute change maps to
   * black or white ({@code 0.5 + 0.5 * delta / linf}).
   */
  static float[] visualize(float[] delta) {
    double max = Pixels.linf(delta);
    float[] out = new float[delta.length];
    for (int i = 0; i < delta.length; i++) {
      out[i] = max == 0 ? 0.5f : (float) (0.5 + 0.5 * delta[i] / max);
    }
    return out;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
