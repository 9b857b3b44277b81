package io.advlab.system;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.MemoryUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * GPU gauges from DJL's {@link CudaUtils} (the CUDA runtime, no NVML): {@code gpu.devices}, and per
 * device {@code gpu.memory.used} / {@code gpu.memory.max} in bytes tagged {@code device=<index>}.
 * Without a GPU or CUDA runtime the count is 0 and no per-device gauge exists; nothing fails.
 * The device count is read once at bind time (GPUs do not come and go under a running JVM).
 */
@Component
class GpuMetrics implements MeterBinder {

  private static final Logger log = LoggerFactory.getLogger(GpuMetrics.class);

  /** What the gauges read; {@link #cuda()} in production, a fake in tests. */
  interface Probe {
    int deviceCount();

    MemoryUsage memory(int device);
  }

  private final Probe probe;

  GpuMetrics() {
    this(cuda());
  }

  GpuMetrics(Probe probe) {
    this.probe = probe;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    int devices = safeCount();
    Gauge.builder("gpu.devices", () -> devices)
        .description("CUDA devices visible to the service")
        .register(registry);
    for (int i = 0; i < devices; i++) {
      int device = i;
      Gauge.builder("gpu.memory.used", probe, p -> usage(p, device, true))
          .description("GPU memory in use on the device (all processes)")
          .baseUnit(BaseUnits.BYTES)
          .tag("device", Integer.toString(device))
          .register(registry);
      Gauge.builder("gpu.memory.max", probe, p -> usage(p, device, false))
          .description("Total GPU memory of the device")
          .baseUnit(BaseUnits.BYTES)
          .tag("device", Integer.toString(device))
          .register(registry);
    }
    log.info("GPU metrics: {} CUDA device(s)", devices);
  }

  private int safeCount() {
    try {
      return Math.max(0, probe.deviceCount());
    } catch (RuntimeException | LinkageError e) {
      log.info("No CUDA runtime ({}); gpu.devices reports 0", e.toString());
      return 0;
    }
  }

  private static double usage(Probe probe, int device, boolean used) {
    try {
      MemoryUsage usage = probe.memory(device);
      return used ? usage.getUsed() : usage.getMax();
    } catch (RuntimeException | LinkageError e) {
      return Double.NaN;
    }
  }

  static Probe cuda() {
    return new Probe() {
      @Override
      public int deviceCount() {
        return CudaUtils.getGpuCount();
      }

      @Override
      public MemoryUsage memory(int device) {
        return CudaUtils.getGpuMemory(Device.gpu(device));
      }
    };
  }
}
