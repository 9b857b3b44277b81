package io.advlab.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;

/** PLACEHOLDER until the image branch lands (same signatures). */
@Component
public class ImageLoader {
  public BufferedImage fromBytes(byte[] bytes) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(img, 0, 0, null);
      return rgb;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BufferedImage fromStream(InputStream in) {
    try {
      return fromBytes(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BufferedImage fromBase64(String b64) {
    return fromBytes(Base64.getDecoder().decode(b64));
  }

  public BufferedImage fromUrl(String url) {
    throw new UnsupportedOperationException();
  }
}
