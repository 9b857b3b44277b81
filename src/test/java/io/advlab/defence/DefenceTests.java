package io.advlab.defence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The {@code defence} object: defaults scaled to the input size, every bad value a 400 naming its field. */
class DefenceTests {

  @Test
  void absentIsNoDefence() {
    assertThat(Defence.parse(null, 32)).isNull();
  }

  @Test
  void defaultsFollowXieScaledToTheInputSize() {
    assertThat(Defence.parse(Map.of("type", "randomization"), 32))
        .isEqualTo(new Defence("randomization", 30, 29, 32, 32, false, 0));
    Defence resnet = Defence.parse(Map.of("type", "randomization"), 224);
    assertThat(resnet.minSize()).as("round(224·299/331)").isEqualTo(202);
    assertThat(resnet.maxSize()).isEqualTo(224);
    assertThat(Defence.parse(Map.of("type", "randomization"), 331).minSize()).as("Xie et al.'s own 299").isEqualTo(299);
  }

  @Test
  void aLargerCanvasFollowsXieScaled() {
    Defence resnet = Defence.parse(Map.of("type", "randomization", "padSize", 248), 224);
    assertThat(resnet.minSize()).as("the input size, as 299 in Xie et al.").isEqualTo(224);
    assertThat(resnet.maxSize()).isEqualTo(248);
    assertThat(resnet.largerCanvas(224)).isTrue();
    assertThat(resnet.padWidth(224, 224)).isEqualTo(248);
    assertThat(Defence.parse(Map.of("type", "randomization"), 224).largerCanvas(224)).isFalse();
    for (Draw d : resnet.draws(new SplittableRandom(3), 500, 224, 224)) {
      assertThat(d.height()).isBetween(224, 247);
      assertThat(d.canvasHeight()).isEqualTo(248);
      assertThat(d.canvasWidth()).isEqualTo(248);
      assertThat(d.top() + d.height()).isLessThanOrEqualTo(248);
      assertThat(d.left() + d.width()).isLessThanOrEqualTo(248);
    }
  }

  @Test
  void givenValuesAreKept() {
    assertThat(Defence.parse(Map.of("type", "randomization", "draws", 5, "minSize", 20, "maxSize", 30, "flip", true,
        "seed", 7), 32)).isEqualTo(new Defence("randomization", 5, 20, 30, 32, true, 7));
  }

  @Test
  void badValuesNameTheirField() {
    assertField(Map.of("draws", 30), "defence.type");
    assertField(Map.of("type", "jpeg"), "defence.type");
    assertField(Map.of("type", "randomization", "draws", 0), "defence.draws");
    assertField(Map.of("type", "randomization", "draws", 101), "defence.draws");
    assertField(Map.of("type", "randomization", "draws", 2.5), "defence.draws");
    assertField(Map.of("type", "randomization", "minSize", 0), "defence.minSize");
    assertField(Map.of("type", "randomization", "maxSize", 33), "defence.maxSize");
    assertField(Map.of("type", "randomization", "minSize", 30, "maxSize", 30), "defence.minSize");
    assertField(Map.of("type", "randomization", "flip", "yes"), "defence.flip");
    assertField(Map.of("type", "randomization", "seed", -1), "defence.seed");
    assertField(Map.of("type", "randomization", "padSize", 31), "defence.padSize");
    assertField(Map.of("type", "randomization", "padSize", 65), "defence.padSize");
    assertField(Map.of("type", "randomization", "padSize", 40, "maxSize", 41), "defence.maxSize");
    assertField(Map.of("type", "randomization", "scale", 2), "defence.scale");
  }

  @Test
  void drawsStayOnTheCanvasAndCoverEverySizeAndOffset() {
    Defence defence = Defence.parse(Map.of("type", "randomization", "flip", true), 32);
    List<Draw> draws = defence.draws(new SplittableRandom(1), 2000, 32, 32);
    Set<String> seen = new HashSet<>();
    for (Draw d : draws) {
      assertThat(d.height()).isBetween(29, 31);
      assertThat(d.width()).isEqualTo(d.height());
      assertThat(d.top()).isBetween(0, 32 - d.height());
      assertThat(d.left()).isBetween(0, 32 - d.width());
      seen.add(d.height() + "/" + d.top() + "/" + d.left() + "/" + d.flip());
    }
    assertThat(seen).as("(16 + 9 + 4) placements, flipped or not").hasSize(58);
  }

  @Test
  void judgingDrawsDependOnlyOnTheSeed() {
    Defence a = Defence.parse(Map.of("type", "randomization", "seed", 3), 32);
    Defence b = Defence.parse(Map.of("type", "randomization", "seed", 4), 32);
    assertThat(a.judgingDraws(32, 32)).hasSize(30).isEqualTo(a.judgingDraws(32, 32)).isNotEqualTo(b.judgingDraws(32, 32));
  }

  private static void assertField(Map<String, Object> raw, String field) {
    assertThatThrownBy(() -> Defence.parse(raw, 32)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.properties()).containsEntry("field", field));
  }
}
