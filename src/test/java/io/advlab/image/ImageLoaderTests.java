package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.support.TestImages;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ImageLoaderTests {

  private static final byte[] PNG = TestImages.encode(TestImages.quadrants(40, 20), "png");
  private final ImageLoader loader = new ImageLoader();

  @Test
  void acceptsPlainUrlSafeWrappedBase64AndDataUris() {
    String plain = Base64.getEncoder().encodeToString(PNG);
    assertThat(loader.fromBase64(plain).getWidth()).isEqualTo(40);
    assertThat(loader.fromBase64(Base64.getUrlEncoder().withoutPadding().encodeToString(PNG)).getWidth()).isEqualTo(40);
    assertThat(loader.fromBase64(Base64.getMimeEncoder().encodeToString(PNG)).getWidth()).isEqualTo(40);
    assertThat(loader.fromBase64("data:image/png;base64," + plain).getHeight()).isEqualTo(20);
    assertThat(loader.fromBase64("  DATA:image/png;BASE64," + plain + "\n").getHeight()).isEqualTo(20);
  }

  @Test
  void invalidBase64IsA400NamingTheField() {
    for (String bad : new String[] {"not base64 at all!", "iVBORw0KGgo=AAAA", "data:image/png,iVBORw0KGgo",
        "data:image/png;base64"}) {
      assertThatThrownBy(() -> loader.fromBase64(bad)).as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(e.properties()).containsEntry("field", "imageBase64");
      });
    }
    assertThatThrownBy(() -> loader.fromBase64("data:text/plain;base64,aGVsbG8="))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNSUPPORTED_IMAGE));
  }

  @Test
  void sizeCapsApplyBeforeDecoding() {
    ImageLoader small = new ImageLoader(new ImageProperties(DataSize.ofBytes(1000), 40_000_000L, 120_000_000L, Duration.ofSeconds(10),
        new ImageProperties.Url(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 3, List.of(), "t")));
    String big = "A".repeat(1400); // 1050 bytes once decoded
    assertThatThrownBy(() -> small.fromBase64(big))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IMAGE_TOO_LARGE));
    assertThatThrownBy(() -> small.fromStream(new ByteArrayInputStream(new byte[1001])))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IMAGE_TOO_LARGE));
    assertThatThrownBy(() -> small.fromBytes(new byte[1001]))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IMAGE_TOO_LARGE));
    assertThat(small.fromStream(new ByteArrayInputStream(TestImages.encode(TestImages.quadrants(4, 2), "png"))).getWidth())
        .isEqualTo(4);
  }
}
