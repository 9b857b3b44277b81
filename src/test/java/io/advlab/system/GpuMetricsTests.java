package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.MemoryUsage;
import org.junit.jupiter.api.Test;

class GpuMetricsTests {

  @Test
  void reportsEachDevicesMemoryInBytes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GpuMetrics.Probe twoGpus = new GpuMetrics.Probe() {
      @Override
      public int deviceCount() {
        return 2;
      }

      @Override
      public MemoryUsage memory(int device) {
        return new MemoryUsage(-1, (device + 1) * 1_000L, (device + 1) * 1_000L, (device + 1) * 80_000L);
      }
    };

    new GpuMetrics(twoGpus).bindTo(registry);

    assertThat(registry.get("gpu.devices").gauge().value()).isEqualTo(2);
    assertThat(registry.get("gpu.memory.used").tag("device", "1").gauge().value()).isEqualTo(2_000);
    assertThat(registry.get("gpu.memory.max").tag("device", "0").gauge().value()).isEqualTo(80_000);
    assertThat(registry.get("gpu.memory.max").gauge().getId().getBaseUnit()).isEqualTo("bytes");
  }

  @Test
  void noCudaRuntimeMeansZeroDevicesAndNoFailure() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GpuMetrics.Probe broken = new GpuMetrics.Probe() {
      @Override
      public int deviceCount() {
        throw new UnsatisfiedLinkError("libcudart.so: cannot open shared object file");
      }

      @Override
      public MemoryUsage memory(int device) {
        throw new AssertionError("no device to ask about");
      }
    };

    new GpuMetrics(broken).bindTo(registry);

    assertThat(registry.get("gpu.devices").gauge().value()).isZero();
    assertThat(registry.find("gpu.memory.used").gauges()).isEmpty();
  }

  /** The real probe counts what the CUDA runtime itself reports: 0 on a CPU machine, N on a GPU one. */
  @Test
  void theRealProbeCountsTheDevicesCudaReports() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int cuda;
    try {
      cuda = ai.djl.util.cuda.CudaUtils.getGpuCount();
    } catch (RuntimeException | LinkageError e) {
      cuda = 0;
    }

    new GpuMetrics().bindTo(registry);

    assertThat(registry.get("gpu.devices").gauge().value()).isEqualTo(cuda);
    assertThat(registry.find("gpu.memory.max").gauges()).hasSize(cuda);
    registry.find("gpu.memory.max").gauges().forEach(g -> assertThat(g.value()).isPositive());
  }
}
