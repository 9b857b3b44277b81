package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The figures of a cell, the stored outcome format, the image sample, the CSV and the chart: no model needed. */
class EvaluationFiguresTests {

  private static ImageOutcome outcome(int index, int label, int original, int adversarial, boolean quantized,
      double l2) {
    return new ImageOutcome(index, label, original, adversarial, quantized, l2, l2 / 10, 3 + index, true);
  }

  @Test
  void figuresCountSuccessesOnlyOnImagesTheModelGotRight() {
    List<ImageOutcome> outcomes = List.of(
        outcome(0, 1, 1, 2, true, 1.0),   // right, then fooled: a success that survives quantization
        outcome(1, 1, 1, 1, false, 0.5),  // right and still right
        outcome(2, 3, 3, 4, false, 3.0),  // right, then fooled, but not as the 8-bit PNG
        outcome(3, 5, 6, 6, false, 9.0)); // wrong from the start: not a success of the attack
    CellFigures f = CellFigures.of("pgd", 0.1, 10, outcomes, 12.34);
    assertThat(f.images()).isEqualTo(4);
    assertThat(f.total()).isEqualTo(10);
    assertThat(f.cleanAccuracy()).isEqualTo(0.75);
    assertThat(f.robustAccuracy()).isEqualTo(0.25);
    assertThat(f.successRate()).isEqualTo(0.6667);
    assertThat(f.quantizedSuccessRate()).isEqualTo(0.5);
    assertThat(f.medianL2()).isEqualTo(2.0);
    assertThat(f.meanL2()).isEqualTo(2.0);
    assertThat(f.medianLinf()).isEqualTo(0.2);
    assertThat(f.medianIterations()).isEqualTo(4.5);
    assertThat(f.seconds()).isEqualTo(12.3);
    CellFigures empty = CellFigures.of("fgsm", 0.2, 10, List.of(), 0);
    assertThat(empty.images()).isZero();
    assertThat(empty.cleanAccuracy()).isNull();
  }

  @Test
  void outcomesSurviveTheirStoredForm() {
    JsonMapper json = JsonMapper.builder().build();
    List<ImageOutcome> outcomes = List.of(outcome(7, 1, 1, 2, true, 1.25), outcome(8, 0, 0, 0, false, 0));
    assertThat(ImageOutcome.decode(ImageOutcome.encode(outcomes, json), json)).isEqualTo(outcomes);
    assertThat(ImageOutcome.decode(null, json)).isEmpty();
  }

  @Test
  void theSampleIsSeededSortedAndWholeWithoutALimit() {
    assertThat(ImageSample.of(5, 10, 1)).containsExactly(0, 1, 2, 3, 4);
    List<Integer> a = ImageSample.of(1000, 50, 7);
    assertThat(a).hasSize(50).isSorted().doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < 1000);
    assertThat(ImageSample.of(1000, 50, 7)).isEqualTo(a);
    assertThat(ImageSample.of(1000, 50, 8)).isNotEqualTo(a);
  }

  @Test
  void csvAndChartShowEveryCell() {
    List<CellFigures> cells = List.of(
        CellFigures.of("fgsm", 0.1, 2, List.of(outcome(0, 1, 1, 2, true, 1.0), outcome(1, 1, 1, 1, true, 1.0)), 1),
        CellFigures.of("fgsm", 0.2, 2, List.of(outcome(0, 1, 1, 2, true, 1.0), outcome(1, 1, 1, 2, true, 1.0)), 1),
        CellFigures.of("semantic", null, 2, List.of(outcome(0, 1, 1, 2, true, 1.0)), 1));
    String csv = EvaluationController.csv(cells);
    assertThat(csv.lines()).hasSize(4);
    assertThat(csv.lines().toList().get(1)).startsWith("fgsm,0.1,2,2,1.0,0.5,0.5,1.0,");
    assertThat(csv.lines().toList().get(3)).startsWith("semantic,,1,2,");
    String svg = AccuracyChart.svg("digits:1 on <test>", cells);
    assertThat(svg).startsWith("<svg").contains("digits:1 on &lt;test&gt;").contains("semantic: 0.000");
    assertThat(svg.split("<polyline", -1)).as("one curve: fgsm").hasSize(2);
  }
}
