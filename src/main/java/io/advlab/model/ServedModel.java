package io.advlab.model;

import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One version of one model as the registry serves it: its state (LOADING, READY, FAILED,
 * UNLOADED) with the reason in words, and once ready the loaded network, its inference pool and
 * the companions other packages attach to it (the attack package's gradient scheduler).
 *
 * <p>Requests hold a {@link Lease} while they use it. Unloading or replacing a version first stops
 * new leases, then closes the network when the last lease is returned, so no request in flight
 * fails when a version goes away.
 */
public final class ServedModel {

  private static final Logger log = LoggerFactory.getLogger(ServedModel.class);

  /** Where a version is in its life. */
  public enum State { LOADING, READY, FAILED, UNLOADED }

  private final ModelId id;
  private final String source;
  private final String device;
  private final boolean required;
  private final Path storeDir;
  private final AtomicInteger leases = new AtomicInteger();
  private final Map<Class<?>, AutoCloseable> companions = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile State state = State.LOADING;
  private volatile String reason = "loading";
  private volatile ClassifierModel model;
  private volatile InferenceBatcher batcher;
  private volatile ModelMetadata metadata;
  private volatile Instant readySince;
  private volatile double warmUpMs;

  /**
   * @param source where it is loaded from (configured URL or store folder)
   * @param device the requested device ({@code auto}, {@code cpu}, {@code gpu1}...)
   * @param storeDir its folder in the model store, or null for a configured model
   * @param metadata its store metadata, or null for a configured model
   */
  ServedModel(ModelId id, String source, String device, boolean required, Path storeDir, ModelMetadata metadata) {
    this.id = id;
    this.source = source;
    this.device = device;
    this.required = required;
    this.storeDir = storeDir;
    this.metadata = metadata;
  }

  public ModelId id() {
    return id;
  }

  public State state() {
    return state;
  }

  /** Why it is not READY, in words (null when it is). */
  public String reason() {
    return reason;
  }

  /** The loaded network; only while READY (call within a {@link Lease}). */
  public ClassifierModel model() {
    return model;
  }

  /** The inference pool; only while READY (call within a {@link Lease}). */
  public InferenceBatcher batcher() {
    return batcher;
  }

  /** Tags for this version's meters: {@code model} and {@code version}. */
  public Tags tags() {
    return Tags.of("model", id.name(), "version", Integer.toString(id.version()));
  }

  /**
   * The companion of {@code type}, made by {@code factory} on first use and closed with this
   * version: how other packages keep per-model state (the attack package's gradient scheduler)
   * without the model package knowing them.
   */
  public <T extends AutoCloseable> T companion(Class<T> type, Function<ServedModel, T> factory) {
    if (state != State.READY) {
      throw new IllegalStateException(id + " is " + state);
    }
    return type.cast(companions.computeIfAbsent(type, t -> factory.apply(this)));
  }

  String source() {
    return source;
  }

  String device() {
    return model != null ? model.device().toString() : device;
  }

  String requestedDevice() {
    return device;
  }

  boolean required() {
    return required;
  }

  Path storeDir() {
    return storeDir;
  }

  ModelMetadata metadata() {
    return metadata;
  }

  void metadata(ModelMetadata value) {
    this.metadata = value;
  }

  Instant readySince() {
    return readySince;
  }

  double warmUpMs() {
    return warmUpMs;
  }

  int leases() {
    return leases.get();
  }

  void ready(ClassifierModel model, InferenceBatcher batcher, double warmUpMs) {
    this.model = model;
    this.batcher = batcher;
    this.warmUpMs = warmUpMs;
    this.readySince = Instant.now();
    this.reason = null;
    this.state = State.READY;
  }

  void failed(String why) {
    this.reason = why;
    this.state = State.FAILED;
  }

  /**
   * Stops new leases and closes the network once the leases in flight are returned (at once when
   * there are none).
   */
  void retire(String why) {
    this.reason = why;
    this.state = State.UNLOADED;
    closeIfIdle();
  }

  /** A lease on this version while it is READY, or null. */
  Lease tryLease() {
    leases.incrementAndGet();
    if (state != State.READY) {
      release();
      return null;
    }
    return new Lease(this);
  }

  private void release() {
    if (leases.decrementAndGet() == 0 && state == State.UNLOADED) {
      closeIfIdle();
    }
  }

  private void closeIfIdle() {
    if (leases.get() == 0 && model != null && closed.compareAndSet(false, true)) {
      List<AutoCloseable> toClose = new ArrayList<>(companions.values());
      toClose.add(batcher);
      toClose.add(model);
      for (AutoCloseable c : toClose) {
        try {
          c.close();
        } catch (Exception e) {
          log.warn("Closing {} of {} failed", c.getClass().getSimpleName(), id, e);
        }
      }
      companions.clear();
      log.info("Unloaded model {}", id);
    }
  }

  /** A request's hold on a READY version; return it (close) when the request is done. */
  public static final class Lease implements AutoCloseable {
    private final ServedModel served;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Lease(ServedModel served) {
      this.served = served;
    }

    public ServedModel served() {
      return served;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        served.release();
      }
    }
  }
}
