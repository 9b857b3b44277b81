package io.advlab.defence;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.advlab.problem.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The randomization defence (Xie et al. 2018) as a request asked for it, defaults filled in: each
 * of {@code draws} draws resizes the model input (H x W) to a random height in
 * [{@code minSize}, {@code maxSize}) (the width keeps the aspect ratio), optionally flips it, and
 * zero-pads it at a random offset back to H x W; the prediction is the softmax averaged over the
 * draws. Xie et al. resize 299 to [299, 331) and pad to 331; scaled to a fixed input size S the
 * defaults are sizes [round(S·299/331), S) padded back to S. A model that accepts larger inputs
 * (one that pools adaptively, like ResNet18) can be given a larger canvas instead, as in the paper:
 * {@code padSize} P above S gives sizes [S, P) padded to P (224 → 248 is 299 → 331 scaled). The
 * draws come from {@code seed}, so a request is reproducible.
 *
 * @param type always {@code randomization}
 * @param draws transforms averaged per prediction, 1..{@value #MAX_DRAWS}
 * @param minSize smallest resized height, at least 1
 * @param maxSize resized heights are below it, at most {@code padSize}
 * @param padSize height of the zero canvas the resized image is placed on, H (the default) to 2·H;
 *     its width keeps the input's aspect ratio
 * @param flip whether each draw also flips left-right with probability 1/2
 * @param seed seed of the draws
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "The randomization defence (Xie et al. 2018) as used, defaults filled in",
    example = "{\"type\": \"randomization\", \"draws\": 30, \"minSize\": 29, \"maxSize\": 32, \"padSize\": 32,"
        + " \"flip\": false, \"seed\": 0}")
public record Defence(String type, int draws, int minSize, int maxSize, int padSize, boolean flip, long seed) {

  public static final String RANDOMIZATION = "randomization";
  public static final int MAX_DRAWS = 100;
  private static final Set<String> KEYS = Set.of("type", "draws", "minSize", "maxSize", "padSize", "flip", "seed");

  /**
   * Reads a request's {@code defence} object for a model whose input is {@code height x width};
   * null when there is none (absent or {}). Every failure is a 400 naming the field ({@code defence.draws}...).
   */
  public static Defence parse(Map<String, Object> raw, int height) {
    if (raw == null || raw.isEmpty()) {
      // {} asks for nothing: generated clients (Java's among them) send their empty map by default.
      return null;
    }
    for (String key : raw.keySet()) {
      if (!KEYS.contains(key)) {
        throw invalid(key, "is not a setting of the randomization defence; it takes type, draws, minSize,"
            + " maxSize, padSize, flip and seed.");
      }
    }
    Object type = raw.get("type");
    if (!RANDOMIZATION.equals(type)) {
      throw invalid("type", "must be \"randomization\", got " + describe(type) + ".");
    }
    int draws = integer(raw, "draws", 30, 1, MAX_DRAWS);
    int padSize = integer(raw, "padSize", height, height, 2 * height);
    boolean larger = padSize > height;
    int minSize = integer(raw, "minSize", larger ? height : defaultMinSize(height), 1, padSize);
    int maxSize = integer(raw, "maxSize", padSize, 1, padSize);
    if (minSize >= maxSize) {
      throw invalid("minSize", "is " + minSize + ", not below maxSize " + maxSize
          + " (sizes are drawn from [minSize, maxSize)).");
    }
    Object flip = raw.get("flip");
    if (flip != null && !(flip instanceof Boolean)) {
      throw invalid("flip", "must be true or false, got " + describe(flip) + ".");
    }
    long seed = raw.get("seed") == null ? 0 : whole(raw, "seed", 0, Long.MAX_VALUE);
    return new Defence(RANDOMIZATION, draws, minSize, maxSize, padSize, Boolean.TRUE.equals(flip), seed);
  }

  /** Whether draws land on a canvas larger than the model's input (see {@code padSize}). */
  public boolean largerCanvas(int height) {
    return padSize > height;
  }

  /** The canvas width for an input of {@code height x width}: {@code padSize} scaled by the aspect ratio. */
  public int padWidth(int height, int width) {
    return padSize == height ? width : Math.max(1, (int) Math.round((double) padSize * width / height));
  }

  /** Xie et al.'s smallest size, 299 of 331, scaled to an input of {@code height}. */
  static int defaultMinSize(int height) {
    return Math.max(1, Math.min(height - 1, (int) Math.round(height * 299.0 / 331.0)));
  }

  /** {@code n} draws for an input of {@code height x width}, taken from {@code random}. */
  public List<Draw> draws(SplittableRandom random, int n, int height, int width) {
    int canvasWidth = padWidth(height, width);
    List<Draw> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int h = random.nextInt(minSize, maxSize);
      int w = Math.max(1, Math.min(canvasWidth, (int) Math.round((double) h * width / height)));
      int top = random.nextInt(padSize - h + 1);
      int left = random.nextInt(canvasWidth - w + 1);
      out.add(new Draw(h, w, top, left, flip && random.nextBoolean(), padSize, canvasWidth));
    }
    return out;
  }

  /** The {@link #draws} draws that judge an image: always the same ones for the same seed. */
  public List<Draw> judgingDraws(int height, int width) {
    return draws(new SplittableRandom(seed), draws, height, width);
  }

  private static int integer(Map<String, Object> raw, String name, int def, int min, int max) {
    return raw.get(name) == null ? def : (int) whole(raw, name, min, max);
  }

  private static long whole(Map<String, Object> raw, String name, long min, long max) {
    Object value = raw.get(name);
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || Math.abs(n.doubleValue()) >= 9.0e15) {
      throw invalid(name, "must be an integer, got " + describe(value) + ".");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw invalid(name, "is " + v + ", outside [" + min + ", " + max + "].");
    }
    return v;
  }

  private static ApiException invalid(String name, String detail) {
    return ApiException.invalidField("defence." + name, "'defence." + name + "' " + detail);
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
