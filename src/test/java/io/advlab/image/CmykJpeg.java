package io.advlab.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes a four-channel CMYK JPEG the way Photoshop does (Adobe APP14 marker, transform 0,
 * inverted ink values): full cyan on the left half, no ink on the right.
 */
final class CmykJpeg {

  private CmykJpeg() {}

  static byte[] write(int width, int height) throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int band = 0; band < 4; band++) {
          boolean ink = band == 0 && x < width / 2;
          raster.setSample(x, y, band, ink ? 0 : 255);
        }
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    return withAdobeMarker(out.toByteArray());
  }

  private static byte[] withAdobeMarker(byte[] jpeg) {
    byte[] adobe = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(adobe);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
