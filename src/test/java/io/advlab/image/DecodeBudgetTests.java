package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Decoding memory is bounded: shares of the pixel budget are held while decoding and released after. */
class DecodeBudgetTests {

  @Test
  void aDecodeThatCannotGetItsShareInTimeIsOverloadedAndReleasingLetsTheNextOneIn() throws Exception {
    // A second of patience, so that the waiting decode cannot time out before the release below
    // even on a loaded CI machine.
    DecodeBudget budget = new DecodeBudget(1_000_000, Duration.ofSeconds(1));

    DecodeBudget.Lease first = budget.acquire(800_000);
    assertThatThrownBy(() -> budget.acquire(400_000))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.OVERLOADED));

    CompletableFuture<DecodeBudget.Lease> waiting = CompletableFuture.supplyAsync(() -> budget.acquire(400_000));
    Thread.sleep(20);
    first.close();
    waiting.get(5, TimeUnit.SECONDS).close();
    assertThat(budget.available()).isGreaterThanOrEqualTo(1_000_000 - 1024);
  }

  @Test
  void anImageLargerThanTheWholeBudgetStillDecodesAlone() {
    DecodeBudget budget = new DecodeBudget(10_000, Duration.ofMillis(100));
    ImageDecoder decoder = new ImageDecoder(40_000_000L, budget);

    BufferedImage image = decoder.decode(png(300, 200));

    assertThat(image.getWidth()).isEqualTo(300);
    assertThat(budget.available()).isEqualTo(10_000 / 1024 * 1024);
  }

  @Test
  void failedDecodesGiveTheirShareBack() {
    DecodeBudget budget = new DecodeBudget(1_000_000, Duration.ofMillis(100));
    ImageDecoder decoder = new ImageDecoder(40_000_000L, budget);
    byte[] png = png(500, 500);
    byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> decoder.decode(truncated)).isInstanceOf(ApiException.class);
    }
    assertThat(budget.available()).isGreaterThanOrEqualTo(1_000_000 - 1024);
  }

  private static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 31 + y * 17 * 256) & 0xFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
