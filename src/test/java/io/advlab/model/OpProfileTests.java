package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OpProfileTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void selfTimeIsEachEventLessItsChildrenPerPassAndTopLevelEventsMakeTheTracedTime() throws Exception {
    // two passes; in each, forward (1000 us) holds conv (600, holding reorder 100) and relu (300);
    // an event starting where the previous one ends is its sibling, not its child
    String trace = """
        [
        {"name": "forward", "ph": "X", "ts": 0, "dur": 1000, "tid": 2},
        {"name": "aten::conv", "ph": "X", "ts": 0, "dur": 600, "tid": 2},
        {"name": "aten::reorder", "ph": "X", "ts": 100, "dur": 100, "tid": 2},
        {"name": "aten::relu", "ph": "X", "ts": 600, "dur": 300, "tid": 2},
        {"name": "forward", "ph": "X", "ts": 2000, "dur": 1000, "tid": 2},
        {"name": "aten::relu", "ph": "X", "ts": 2600, "dur": 300, "tid": 2},
        {"name": "aten::conv", "ph": "X", "ts": 2000, "dur": 600, "tid": 2},
        {"name": "aten::reorder", "ph": "X", "ts": 2100, "dur": 100, "tid": 2},
        {"name": "ignored", "ph": "i", "ts": 10, "tid": 2}
        ]""";
    OpProfile profile = OpProfile.of(JSON.readTree(trace), 2);
    assertThat(profile.self("forward")).isCloseTo(0.1, within(1e-9));
    assertThat(profile.self("aten::conv")).isCloseTo(0.5, within(1e-9));
    assertThat(profile.self("aten::reorder")).isCloseTo(0.1, within(1e-9));
    assertThat(profile.self("aten::relu")).isCloseTo(0.3, within(1e-9));
    assertThat(profile.self("aten::absent")).isZero();
    assertThat(profile.tracedMsPerPass()).isCloseTo(1.0, within(1e-9));
    assertThat(profile.selfMsPerPass().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(profile.tracedMsPerPass(), within(1e-9));
  }

  @Test
  void threadsNestSeparatelyAndATraceObjectWithTraceEventsReadsToo() throws Exception {
    // the autograd engine's thread overlaps the caller's in time but is not its child
    String trace = """
        {"traceEvents": [
        {"name": "aten::sum", "ph": "X", "ts": 0, "dur": 500, "tid": 1},
        {"name": "ConvolutionBackward", "ph": "X", "ts": 100, "dur": 200, "tid": 7}
        ]}""";
    OpProfile profile = OpProfile.of(JSON.readTree(trace), 1);
    assertThat(profile.self("aten::sum")).isCloseTo(0.5, within(1e-9));
    assertThat(profile.self("ConvolutionBackward")).isCloseTo(0.2, within(1e-9));
    assertThat(profile.tracedMsPerPass()).isCloseTo(0.7, within(1e-9));
  }
}
