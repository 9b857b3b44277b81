package io.advlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's decisions without a network: batches, the kept epoch, the catastrophic-overfitting stop, seeds. */
class TrainingLoopTests {

  private static EpochFigures epoch(int n, double robust) {
    return new EpochFigures(n, 1.0, 0.5, 0.97, robust, 10);
  }

  @Test
  void batchesCoverEveryImage() {
    assertThat(TrainingLoop.batches(4000, 64)).isEqualTo(63);
    assertThat(TrainingLoop.batches(64, 64)).isEqualTo(1);
    assertThat(TrainingLoop.batches(65, 64)).isEqualTo(2);
  }

  @Test
  void theBestEpochHasTheHighestRobustAccuracyTheLaterOnATie() {
    assertThat(TrainingLoop.best(List.of(epoch(1, 0.3), epoch(2, 0.6), epoch(3, 0.5)))).isEqualTo(2);
    assertThat(TrainingLoop.best(List.of(epoch(1, 0.6), epoch(2, 0.6)))).isEqualTo(2);
  }

  @Test
  void aCollapseOfRobustAccuracyStopsAndNamesTheKeptEpoch() {
    assertThat(TrainingLoop.collapse(List.of(epoch(1, 0.40), epoch(2, 0.45), epoch(3, 0.30)), 0.2)).isNull();
    String stop = TrainingLoop.collapse(List.of(epoch(1, 0.40), epoch(2, 0.45), epoch(3, 0.02)), 0.2);
    assertThat(stop).contains("collapsed from 0.450 (epoch 2) to 0.020 (epoch 3)").contains("keeping epoch 2");
  }

  @Test
  void eachBatchHasItsOwnSeedFixedByTheJobsSeed() {
    assertThat(TrainingLoop.mix(1, 1, 0)).isEqualTo(TrainingLoop.mix(1, 1, 0));
    assertThat(TrainingLoop.mix(1, 1, 0)).isNotEqualTo(TrainingLoop.mix(1, 1, 1));
    assertThat(TrainingLoop.mix(1, 1, 0)).isNotEqualTo(TrainingLoop.mix(1, 2, 0));
    assertThat(TrainingLoop.mix(1, 1, 0)).isNotEqualTo(TrainingLoop.mix(2, 1, 0));
  }

  @Test
  void aSplitIsDisjointSeededAndComplete() {
    List<float[]> pixels = new java.util.ArrayList<>();
    int[] labels = new int[100];
    for (int i = 0; i < 100; i++) {
      pixels.add(new float[] {i});
      labels[i] = i % 10;
    }
    List<TrainingData> parts = new TrainingData(pixels, labels).split(0.1, 5);
    assertThat(parts.get(0).size()).isEqualTo(90);
    assertThat(parts.get(1).size()).isEqualTo(10);
    java.util.Set<Float> seen = new java.util.HashSet<>();
    parts.forEach(p -> p.pixels().forEach(x -> seen.add(x[0])));
    assertThat(seen).hasSize(100);
    assertThat(new TrainingData(pixels, labels).split(0.1, 5).get(1).pixels().get(0)[0])
        .isEqualTo(parts.get(1).pixels().get(0)[0]);
  }
}
