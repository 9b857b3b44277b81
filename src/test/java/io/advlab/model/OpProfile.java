package io.advlab.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Self time per operator in a PyTorch profiler's Chrome trace, per pass: what {@link
 * EngineBenchmark} sets side by side for DJL's libtorch and plain PyTorch. Self time (an event's
 * duration less its children's) is used because the two versions wrap the same kernel in different
 * operators ({@code aten::_convolution}, module {@code forward} events, autograd's
 * {@code evaluate_function}); self times add up to the traced time without counting anything twice.
 */
record OpProfile(Map<String, Double> selfMsPerPass, double tracedMsPerPass) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Reads a Chrome trace ({@code torch.autograd.profiler} or DJL's {@code JniUtils.stopProfile}) of {@code passes} passes. */
  static OpProfile read(Path trace, int passes) throws IOException {
    return of(JSON.readTree(trace.toFile()), passes);
  }

  static OpProfile of(JsonNode trace, int passes) {
    JsonNode events = trace.isArray() ? trace : trace.path("traceEvents");
    Map<String, List<Span>> byThread = new LinkedHashMap<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asString(""))) {
        byThread.computeIfAbsent(e.path("tid").asString(""), t -> new ArrayList<>())
            .add(new Span(e.path("name").asString(""), e.path("ts").asDouble(), e.path("dur").asDouble()));
      }
    }
    Map<String, Double> self = new LinkedHashMap<>();
    double traced = 0;
    for (List<Span> spans : byThread.values()) {
      // parents first: earlier start, and the longer of two that start together
      spans.sort(Comparator.comparingDouble(Span::ts).thenComparing(Comparator.comparingDouble(Span::dur).reversed()));
      Deque<Integer> open = new ArrayDeque<>(); // indices of the spans that enclose the next one
      double[] children = new double[spans.size()];
      for (int i = 0; i < spans.size(); i++) {
        Span s = spans.get(i);
        while (!open.isEmpty() && spans.get(open.peek()).end() <= s.ts()) {
          open.pop();
        }
        if (open.isEmpty()) {
          traced += s.dur();
        } else {
          children[open.peek()] += s.dur();
        }
        open.push(i);
      }
      for (int i = 0; i < spans.size(); i++) {
        self.merge(spans.get(i).name(), Math.max(0, spans.get(i).dur() - children[i]) / 1000 / passes, Double::sum);
      }
    }
    return new OpProfile(self, traced / 1000 / passes);
  }

  /** Self milliseconds per pass of {@code op}, 0 when the trace has none. */
  double self(String op) {
    return selfMsPerPass.getOrDefault(op, 0.0);
  }

  private record Span(String name, double ts, double dur) {
    double end() {
      return ts + dur;
    }
  }
}
