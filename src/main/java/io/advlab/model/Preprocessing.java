package io.advlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Properties;

/**
 * How an image becomes the network's input, read from the model folder's
 * {@code serving.properties}; ResNet18 ImageNet values where a key is absent.
 *
 * @param width input width in pixels
 * @param height input height in pixels
 * @param resize length the shorter side is scaled to before cropping; 0 scales straight to
 *     width x height
 * @param centerCrop whether the center width x height is cropped after resizing
 * @param mean per-channel mean subtracted from pixels in [0,1]
 * @param std per-channel standard deviation pixels are divided by
 */
public record Preprocessing(int width, int height, int resize, boolean centerCrop, float[] mean, float[] std) {

  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  public static Preprocessing imagenetDefaults() {
    return new Preprocessing(224, 224, 256, true, IMAGENET_MEAN, IMAGENET_STD);
  }

  /** Reads DJL-style keys: width, height, resize (int or true), centerCrop, normalize, mean, std. */
  public static Preprocessing fromProperties(Properties p) {
    int width = Integer.parseInt(p.getProperty("width", "224").trim());
    int height = Integer.parseInt(p.getProperty("height", "224").trim());
    String resizeValue = p.getProperty("resize", "256").trim();
    int resize = switch (resizeValue) {
      case "true" -> 0;
      case "false" -> -1;
      default -> Integer.parseInt(resizeValue);
    };
    boolean centerCrop = Boolean.parseBoolean(p.getProperty("centerCrop", "true").trim());
    float[] mean = IMAGENET_MEAN;
    float[] std = IMAGENET_STD;
    if (p.containsKey("mean") || p.containsKey("std")) {
      mean = parseTriple(p.getProperty("mean", "0,0,0"));
      std = parseTriple(p.getProperty("std", "1,1,1"));
    } else if ("false".equals(p.getProperty("normalize", "true").trim())) {
      mean = new float[] {0, 0, 0};
      std = new float[] {1, 1, 1};
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("width and height must be positive, got " + width + "x" + height);
    }
    return new Preprocessing(width, height, resize, centerCrop, mean, std);
  }

  private static float[] parseTriple(String value) {
    String[] parts = value.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException("expected three comma-separated values, got '" + value + "'");
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = Float.parseFloat(parts[i].trim());
    }
    return out;
  }

  /**
   * Maps pixels in [0,1] (shape N x 3 x H x W) to the network's input space. Written with NDArray
   * operations so that gradients flow back to the pixels.
   */
  public NDArray normalize(NDArray pixels) {
    var manager = pixels.getManager();
    NDArray m = manager.create(mean, new Shape(1, 3, 1, 1)).toDevice(pixels.getDevice(), false);
    NDArray s = manager.create(std, new Shape(1, 3, 1, 1)).toDevice(pixels.getDevice(), false);
    return pixels.sub(m).div(s);
  }

  /** The same preprocessing for network inputs of {@code height x width} (a defence's larger canvas). */
  public Preprocessing sized(int height, int width) {
    return new Preprocessing(width, height, resize, centerCrop, mean, std);
  }

  /** Number of floats in one preprocessed image (3 x height x width). */
  public int inputSize() {
    return 3 * width * height;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing other && width == other.width && height == other.height
        && resize == other.resize && centerCrop == other.centerCrop
        && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std) + width * 7 + height;
  }

  @Override
  public String toString() {
    return "Preprocessing[" + width + "x" + height + ", resize=" + resize + ", centerCrop=" + centerCrop
        + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
