package io.advlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class LearningRateTests {

  @Test
  void constantStepAndCyclicSchedules() {
    LearningRate constant = new LearningRate("constant", 0.1, 100, 0);
    assertThat(constant.at(0)).isEqualTo(0.1);
    assertThat(constant.at(99)).isEqualTo(0.1);

    LearningRate step = new LearningRate("step", 0.1, 100, 0);
    assertThat(step.at(49)).isEqualTo(0.1);
    assertThat(step.at(50)).isCloseTo(0.01, offset(1e-12));
    assertThat(step.at(80)).isCloseTo(0.001, offset(1e-12));

    LearningRate cyclic = new LearningRate("cyclic", 0.2, 100, 0);
    assertThat(cyclic.at(0)).isZero();
    assertThat(cyclic.at(25)).isCloseTo(0.1, offset(1e-12));
    assertThat(cyclic.at(50)).isCloseTo(0.2, offset(1e-12));
    assertThat(cyclic.at(75)).isCloseTo(0.1, offset(1e-12));
    assertThat(cyclic.at(100)).isCloseTo(0, offset(1e-12));
  }

  @Test
  void aResumedScheduleGoesOnWhereItStopped() {
    LearningRate whole = new LearningRate("cyclic", 0.2, 100, 0);
    LearningRate resumed = new LearningRate("cyclic", 0.2, 100, 40);
    assertThat(resumed.getNewValue(10)).isEqualTo(whole.getNewValue(50));
  }
}
