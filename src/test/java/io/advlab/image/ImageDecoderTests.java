package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.support.TestImages;
import io.advlab.support.TestRequirements;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTests {

  private static final Pattern MANIFEST_ROW = Pattern.compile("^\\|\\s*(\\S+\\.(?:jpg|png))\\s*\\|\\s*(\\w+) (.*?) (\\d+)x(\\d+)\\s*\\|",
      Pattern.MULTILINE);

  private final ImageDecoder decoder = new ImageDecoder(40_000_000L);

  @Test
  void everySharedPhotoDecodesToRgbWithTheManifestDimensions() throws IOException {
    Path photos = TestRequirements.assumeSharedImages(TestRequirements.photosDir());
    Map<String, int[]> expected = new LinkedHashMap<>();
    Matcher row = MANIFEST_ROW.matcher(Files.readString(photos.resolve("MANIFEST.md")));
    while (row.find()) {
      expected.put(row.group(1), new int[] {Integer.parseInt(row.group(4)), Integer.parseInt(row.group(5))});
    }
    try (Stream<Path> files = Files.list(photos)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".md")))
          .as("every photo is in MANIFEST.md").containsExactlyInAnyOrderElementsOf(expected.keySet());
    }
    assertThat(expected).hasSizeGreaterThanOrEqualTo(15);
    for (Map.Entry<String, int[]> photo : expected.entrySet()) {
      BufferedImage image = decoder.decode(Files.readAllBytes(photos.resolve(photo.getKey())));
      assertThat(image.getType()).as(photo.getKey()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      assertThat(new int[] {image.getWidth(), image.getHeight()}).as(photo.getKey()).containsExactly(photo.getValue());
    }
  }

  @Test
  void sharedGrayscalePhotoKeepsItsSampleValuesInAllThreeChannels() throws IOException {
    Path photos = TestRequirements.assumeSharedImages(TestRequirements.photosDir());
    BufferedImage camera = decoder.decode(Files.readAllBytes(photos.resolve("camera.png")));
    int[] rgb = camera.getRGB(0, 0, 512, 512, null, 0, 512);
    assertThat(Arrays.stream(rgb).allMatch(p -> ((p >> 16) & 0xff) == (p & 0xff) && ((p >> 8) & 0xff) == (p & 0xff))).isTrue();
  }

  @Test
  void opaquePhotosKeepTheReadersExactPixels() throws IOException {
    Path photos = TestRequirements.assumeSharedImages(TestRequirements.photosDir());
    for (String name : new String[] {"baboon.jpg", "chelsea.png"}) {
      byte[] bytes = Files.readAllBytes(photos.resolve(name));
      BufferedImage reference = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
      BufferedImage decoded = decoder.decode(bytes);
      int w = reference.getWidth();
      int h = reference.getHeight();
      assertThat(decoded.getRGB(0, 0, w, h, null, 0, w)).as(name).isEqualTo(reference.getRGB(0, 0, w, h, null, 0, w));
    }
  }

  @Test
  void sharedRgbaLogoHasAWhiteBackground() throws IOException {
    Path photos = TestRequirements.assumeSharedImages(TestRequirements.photosDir());
    BufferedImage logo = decoder.decode(Files.readAllBytes(photos.resolve("opencv-logo.png")));
    assertThat(logo.getRGB(0, 0) & 0xffffff).isEqualTo(0xffffff);
    assertThat(logo.getRGB(599, 793) & 0xffffff).isEqualTo(0xffffff);
  }

  @Test
  void alphaIsCompositedOnWhite() {
    BufferedImage rgba = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0x00000000); // transparent black
    rgba.setRGB(1, 0, 0x80ff0000); // half-transparent red
    rgba.setRGB(2, 0, 0xff0000ff); // opaque blue
    BufferedImage rgb = decoder.decode(TestImages.encode(rgba, "png"));
    assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(rgb.getRGB(0, 0) & 0xffffff).isEqualTo(0xffffff);
    assertThat(rgb.getRGB(1, 0) & 0xffffff).isEqualTo(0xff7f7f);
    assertThat(rgb.getRGB(2, 0) & 0xffffff).isEqualTo(0x0000ff);
  }

  @Test
  void eightAndSixteenBitGrayAreReplicatedWithoutGammaShift() {
    BufferedImage gray8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray8.getRaster().setSample(0, 0, 0, 100);
    gray8.getRaster().setSample(1, 0, 0, 200);
    BufferedImage rgb8 = decoder.decode(TestImages.encode(gray8, "png"));
    assertThat(rgb8.getRGB(0, 0) & 0xffffff).isEqualTo(0x646464);
    assertThat(rgb8.getRGB(1, 0) & 0xffffff).isEqualTo(0xc8c8c8);

    BufferedImage gray16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(0, 0, 0, 0x6464);
    BufferedImage rgb16 = decoder.decode(TestImages.encode(gray16, "png"));
    assertThat(rgb16.getRGB(0, 0) & 0xffffff).isEqualTo(0x646464);
  }

  @Test
  void grayscaleJpegAndPaletteGifBecomeRgb() {
    BufferedImage gray = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(3, 3, 0, 90);
    BufferedImage fromJpeg = decoder.decode(TestImages.encode(gray, "jpg"));
    assertThat(fromJpeg.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(fromJpeg.getWidth()).isEqualTo(16);

    BufferedImage fromGif = decoder.decode(TestImages.encode(TestImages.quadrants(40, 20), "gif"));
    assertThat(fromGif.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(fromGif.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
    assertThat(fromGif.getRGB(39, 19) & 0xffffff).isEqualTo(0xffff00);
  }

  @Test
  void bmpAndTiffAreSupported() {
    for (String format : new String[] {"bmp", "tiff"}) {
      BufferedImage image = decoder.decode(TestImages.encode(TestImages.quadrants(40, 20), format));
      assertThat(image.getRGB(39, 0) & 0xffffff).as(format).isEqualTo(0x00ff00);
    }
  }

  @ParameterizedTest(name = "WebP {0}")
  @CsvSource({
      // The 1x1 feature-detection images from Google's WebP FAQ.
      "lossy, UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA",
      "lossless, UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==",
      "alpha, UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA=="})
  void webpIsSupported(String kind, String base64) {
    BufferedImage image = decoder.decode(java.util.Base64.getDecoder().decode(base64));
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(new int[] {image.getWidth(), image.getHeight()}).containsExactly(1, 1);
  }

  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
      "1, 40, 20, R, G, B, Y",
      "2, 40, 20, G, R, Y, B",
      "3, 40, 20, Y, B, G, R",
      "4, 40, 20, B, Y, R, G",
      "5, 20, 40, R, B, G, Y",
      "6, 20, 40, B, R, Y, G",
      "7, 20, 40, Y, G, B, R",
      "8, 20, 40, G, Y, R, B"})
  void exifOrientationIsApplied(int orientation, int width, int height, char topLeft, char topRight,
      char bottomLeft, char bottomRight) {
    byte[] jpeg = TestImages.withExifOrientation(TestImages.encode(TestImages.quadrants(40, 20), "jpg"), orientation);
    BufferedImage image = decoder.decode(jpeg);
    assertThat(new int[] {image.getWidth(), image.getHeight()}).containsExactly(width, height);
    int qx = width / 4;
    int qy = height / 4;
    assertThat(new char[] {colour(image, qx, qy), colour(image, width - qx, qy), colour(image, qx, height - qy),
        colour(image, width - qx, height - qy)}).containsExactly(topLeft, topRight, bottomLeft, bottomRight);
  }

  @Test
  void cmykJpegIsConvertedToRgb() throws IOException {
    byte[] cmyk = CmykJpeg.write(40, 20);
    BufferedImage image = decoder.decode(cmyk);
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(new int[] {image.getWidth(), image.getHeight()}).containsExactly(40, 20);
    // Cyan ink (left half) shows as cyan, no ink (right half) as white.
    int left = image.getRGB(5, 10);
    int right = image.getRGB(35, 10);
    assertThat((right >> 16) & 0xff).isGreaterThan(200);
    assertThat(right & 0xff).isGreaterThan(200);
    assertThat((left >> 16) & 0xff).isLessThan(100);
    assertThat((left >> 8) & 0xff).isGreaterThan(120);
    assertThat(left & 0xff).isGreaterThan(180);
  }

  @Test
  void pixelCountIsCheckedFromTheHeaderBeforeDecoding() {
    // No IDAT at all: had the decoder tried to read pixels it would fail as corrupt, not as too large.
    assertThatThrownBy(() -> decoder.decode(TestImages.pngHeader(30_000, 30_000)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.type()).isEqualTo(ProblemType.IMAGE_DIMENSIONS_TOO_LARGE);
          assertThat(e.getMessage()).contains("30000x30000").contains("40000000");
        });
    assertThatThrownBy(() -> decoder.decode(TestImages.pngHeader(100, 100)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CORRUPT_IMAGE));
  }

  @ParameterizedTest(name = "{0} cut at {1}")
  @CsvSource({"jpg, 0.3", "jpg, 0.6", "jpg, 0.999", "progressive-jpg, 0.5", "progressive-jpg, 0.999", "png, 0.5",
      "png, 0.999", "gif, 0.5", "gif, 0.999", "bmp, 0.5", "tiff, 0.5", "tiff, 0.999"})
  void truncatedImagesAreCorrupt(String format, double fraction) throws IOException {
    BufferedImage noise = TestImages.noise(256, 256, 7);
    byte[] full = format.startsWith("progressive") ? progressiveJpeg(noise) : TestImages.encode(noise, format);
    byte[] cut = Arrays.copyOf(full, (int) (full.length * fraction));
    assertThatThrownBy(() -> decoder.decode(cut))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CORRUPT_IMAGE));
  }

  @Test
  void harmlessJpegQuirksStillDecode() {
    byte[] jpeg = TestImages.encode(TestImages.quadrants(40, 20), "jpg");
    ByteArrayOutputStream junkBeforeEoi = new ByteArrayOutputStream();
    junkBeforeEoi.write(jpeg, 0, jpeg.length - 2);
    junkBeforeEoi.writeBytes(new byte[] {0x12, 0x34, 0x56});
    junkBeforeEoi.write(jpeg, jpeg.length - 2, 2);
    ByteArrayOutputStream trailingGarbage = new ByteArrayOutputStream();
    trailingGarbage.writeBytes(jpeg);
    trailingGarbage.writeBytes(new byte[100]);
    for (byte[] quirky : new byte[][] {junkBeforeEoi.toByteArray(), trailingGarbage.toByteArray()}) {
      BufferedImage image = decoder.decode(quirky);
      assertThat(colour(image, 10, 5)).isEqualTo('R');
      assertThat(colour(image, 30, 15)).isEqualTo('Y');
    }
  }

  @Test
  void somethingThatIsNotAnImageIsUnsupported() {
    for (byte[] bytes : new byte[][] {TestImages.randomBytes(5000, 1), TestImages.randomBytes(64, 2),
        "<html><body>hello</body></html>".getBytes(), new byte[0]}) {
      assertThatThrownBy(() -> decoder.decode(bytes))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNSUPPORTED_IMAGE));
    }
  }

  private static byte[] progressiveJpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** Nearest of red, green, blue, yellow. */
  private static char colour(BufferedImage image, int x, int y) {
    int p = image.getRGB(x, y);
    boolean r = ((p >> 16) & 0xff) > 128;
    boolean g = ((p >> 8) & 0xff) > 128;
    boolean b = (p & 0xff) > 128;
    return r && g && !b ? 'Y' : r && !g && !b ? 'R' : !r && g && !b ? 'G' : !r && !g && b ? 'B' : '?';
  }
}
