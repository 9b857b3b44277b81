package io.advlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every model and version advlab serves, and the one place requests get them from. Models load
 * independently in the background, so one that fails (the zoo without network) is FAILED with its
 * reason while the others serve. Registered versions go to the {@link ModelStore} and are served
 * again after a restart; defaults are kept there too.
 *
 * <p>A request {@linkplain #acquire acquires} a lease on the version it names (or the default),
 * and a version being unloaded closes only once its leases are returned, so swapping versions
 * loses no request. All state changes happen under this object's lock; lookups do not lock.
 */
@Component
public class ModelRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  /** Every version of one model, and which one requests without a version get. */
  static final class Slot {
    final String name;
    final NavigableMap<Integer, ServedModel> versions = new ConcurrentSkipListMap<>();
    volatile Integer explicitDefault;
    volatile Integer configuredVersion;

    Slot(String name) {
      this.name = name;
    }

    /** The explicit default, else the configured version, else the lowest. */
    Integer defaultVersion() {
      Integer explicit = explicitDefault;
      if (explicit != null && versions.containsKey(explicit)) {
        return explicit;
      }
      Integer configured = configuredVersion;
      if (configured != null && versions.containsKey(configured)) {
        return configured;
      }
      return versions.isEmpty() ? null : versions.firstKey();
    }
  }

  private final ModelProperties pool;
  private final MeterRegistry meters;
  private final ModelStore store;
  private final ModelArchives archives;
  private final Map<String, Slot> slots = new ConcurrentSkipListMap<>();
  private final ExecutorService loader = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "advlab-model-loader");
    t.setDaemon(true);
    return t;
  });
  private volatile String defaultModel;

  ModelRegistry(ModelsProperties models, ModelProperties pool, StoreProperties storeProperties, MeterRegistry meters,
      JsonMapper json) {
    this.pool = pool;
    this.meters = meters;
    this.store = new ModelStore(storeProperties.dir(), json);
    this.archives = new ModelArchives(storeProperties);
    StartupModels startup = StartupModels.resolve(models, pool);
    ModelStore.Defaults saved = store.readDefaults();
    synchronized (this) {
      for (ModelsProperties.Entry entry : startup.models()) {
        ModelId id = new ModelId(entry.name(), entry.version());
        Slot slot = slot(entry.name());
        slot.configuredVersion = entry.version();
        String device = entry.device().isBlank() ? pool.device() : entry.device();
        startLoading(slot, new ServedModel(id, entry.url(), device, entry.required(), null, null));
      }
      for (ModelStore.Stored stored : store.list()) {
        Slot slot = slot(stored.id().name());
        if (slot.versions.containsKey(stored.id().version())) {
          log.warn("Model store has {} but the configuration serves that version; the store's copy is not loaded",
              stored.id());
          continue;
        }
        ServedModel served = new ServedModel(stored.id(), stored.dir().toString(), pool.device(), false, stored.dir(),
            stored.metadata());
        if (stored.metadata().autoload()) {
          startLoading(slot, served);
        } else {
          served.retire("unloaded (load it with POST /api/v1/models/" + stored.id().name() + "/versions/"
              + stored.id().version() + "/load)");
          slot.versions.put(stored.id().version(), served);
        }
      }
      saved.defaultVersions().forEach((name, version) -> {
        Slot slot = slots.get(name);
        if (slot != null) {
          slot.explicitDefault = version;
        }
      });
      defaultModel = saved.defaultModel() != null && slots.containsKey(saved.defaultModel())
          ? saved.defaultModel() : startup.defaultModel();
    }
    log.info("Serving models {} (default '{}'); model store {}", slots.keySet(), defaultModel,
        store.unavailable() == null ? store.dir() : store.unavailable());
  }

  /**
   * A lease on the version {@code ref} names (the default model and its default version where
   * left out). 404 problem for an unknown model or version, 503 (with the reason and the models
   * that are ready) for one that is not ready.
   */
  public ServedModel.Lease acquire(ModelRef ref) {
    String name = ref.name() != null ? ref.name() : defaultModel;
    Slot slot = slots.get(name);
    if (slot == null) {
      throw new ApiException(ProblemType.MODEL_NOT_FOUND, "No model '" + name + "'; models: " + slots.keySet()
          + " (GET /api/v1/models).").with("field", "model");
    }
    Integer version = ref.version() != null ? ref.version() : slot.defaultVersion();
    ServedModel served = version == null ? null : slot.versions.get(version);
    if (served == null) {
      throw new ApiException(ProblemType.MODEL_NOT_FOUND, "Model '" + name + "' has no version " + version
          + "; versions: " + slot.versions.keySet() + ".").with("field", "model");
    }
    ServedModel.Lease lease = served.tryLease();
    if (lease == null) {
      throw notReady(served);
    }
    return lease;
  }

  /** Convenience for callers holding a request's {@code model} field. */
  public ServedModel.Lease acquire(String model) {
    return acquire(ModelRef.parse(model, "model"));
  }

  private ApiException notReady(ServedModel served) {
    String detail = "Model " + served.id() + " is " + served.state() + ": " + served.reason() + ". Ready models: "
        + readyModels() + ".";
    ApiException e = new ApiException(ProblemType.MODEL_NOT_READY, detail)
        .with("model", served.id().toString())
        .with("state", served.state().name())
        .with("readyModels", readyModels());
    return served.state() == ServedModel.State.LOADING ? e.with("retryAfterSeconds", 5) : e;
  }

  /** {@code name:version} of every READY version. */
  public List<String> readyModels() {
    List<String> out = new ArrayList<>();
    slots.values().forEach(s -> s.versions.values().stream()
        .filter(v -> v.state() == ServedModel.State.READY).forEach(v -> out.add(v.id().toString())));
    return out;
  }

  public String defaultModel() {
    return defaultModel;
  }

  /** Every model and version with its state, for listings and health. */
  public List<ModelStatus> status() {
    List<ModelStatus> out = new ArrayList<>();
    for (Slot slot : slots.values()) {
      out.add(status(slot));
    }
    return out;
  }

  ModelStatus status(Slot slot) {
    List<ModelStatus.Version> versions = new ArrayList<>();
    boolean required = false;
    for (ServedModel v : slot.versions.values()) {
      required |= v.required();
      ClassifierModel model = v.state() == ServedModel.State.READY ? v.model() : null;
      versions.add(new ModelStatus.Version(v.id().version(), v.state().name(), v.reason(), v.device(), v.source(),
          v.storeDir() != null, model == null ? null : 2 * 4 * model.parameterCount(),
          model == null ? null : model.parameterCount(), v.readySince(),
          model == null ? null : Math.round(v.warmUpMs() * 10) / 10.0, v.leases(), v.metadata()));
    }
    return new ModelStatus(slot.name, slot.name.equals(defaultModel), slot.defaultVersion(), required, versions);
  }

  Slot slot(String name, boolean create) {
    Slot slot = slots.get(name);
    if (slot == null && !create) {
      throw new ApiException(ProblemType.MODEL_NOT_FOUND, "No model '" + name + "'; models: " + slots.keySet() + ".");
    }
    return slot != null ? slot : slot(name);
  }

  ServedModel version(String name, int version) {
    ServedModel served = slot(name, false).versions.get(version);
    if (served == null) {
      throw new ApiException(ProblemType.MODEL_NOT_FOUND, "Model '" + name + "' has no version " + version
          + "; versions: " + slots.get(name).versions.keySet() + ".");
    }
    return served;
  }

  /** Why registering is impossible (the store), or null. */
  String storeUnavailable() {
    return store.unavailable();
  }

  ModelArchives archives() {
    return archives;
  }

  Path storeDir() {
    return store.dir();
  }

  /**
   * Registers the next version of {@code name} from a folder that {@code prepare} fills (from a URL,
   * a server-side folder or an archive): it is copied into the store and loaded in the background.
   * Returns the new version, LOADING; it becomes READY or FAILED later. Its files stay in the store
   * only if it loads.
   */
  synchronized ServedModel register(String name, String source, SourcePreparer prepare) {
    return register(name, ModelMetadata.registered(source), prepare);
  }

  /**
   * Installs a complete model folder made here (a fine-tuning's result) as the next version of
   * {@code name}, derived from {@code parentVersion}, and loads it in the background, served next
   * to its parent and not made the default. The folder is copied; the caller keeps it.
   *
   * @param source who made it, e.g. {@code fine-tuning:<id>}; {@link #findBySource} finds it again
   */
  public ServedModel registerDerived(String name, int parentVersion, String source, String method, Path folder,
      Map<String, Object> details, Map<String, Object> metrics) {
    ModelMetadata metadata = new ModelMetadata(source, java.time.Instant.now(), parentVersion, method, details, metrics,
        true);
    return register(name, metadata, () -> folder);
  }

  /** The version of {@code name} whose metadata names {@code source}, if one exists (READY or not). */
  public java.util.Optional<ServedModel> findBySource(String name, String source) {
    Slot slot = slots.get(name);
    if (slot == null) {
      return java.util.Optional.empty();
    }
    return slot.versions.values().stream()
        .filter(v -> v.metadata() != null && source.equals(v.metadata().source())).findFirst();
  }

  private synchronized ServedModel register(String name, ModelMetadata metadata, SourcePreparer prepare) {
    String source = metadata.source();
    if (store.unavailable() != null) {
      throw new ApiException(ProblemType.STORE_UNAVAILABLE, "Cannot register a version: " + store.unavailable()
          + " (set advlab.store.dir to a writable folder).");
    }
    Slot slot = slot(name);
    int version = nextVersion(slot);
    ModelId id = new ModelId(name, version);
    Path dir = store.dir().resolve(name).resolve(Integer.toString(version));
    ServedModel served = new ServedModel(id, source, pool.device(), false, dir, metadata);
    slot.versions.put(version, served);
    loader.submit(() -> {
      try {
        Path folder = prepare.prepare();
        store.install(id, folder, served.metadata());
      } catch (ApiException e) {
        served.failed(e.getMessage());
        return;
      } catch (Exception | LinkageError e) {
        log.warn("Registering {} from {} failed", id, source, e);
        served.failed(LoadFailures.explain(source, e));
        return;
      } finally {
        prepare.cleanUp();
      }
      loadNow(served);
      if (served.state() == ServedModel.State.FAILED) {
        store.delete(id);
      }
    });
    log.info("Registering {} from {}", id, source);
    return served;
  }

  /** Fills a folder with a model's files for {@link #register}; runs on a loader thread. */
  interface SourcePreparer {
    Path prepare() throws Exception;

    default void cleanUp() {}
  }

  private int nextVersion(Slot slot) {
    int max = slot.versions.isEmpty() ? 0 : slot.versions.lastKey();
    for (ModelStore.Stored stored : store.list()) {
      if (stored.id().name().equals(slot.name)) {
        max = Math.max(max, stored.id().version());
      }
    }
    return max + 1;
  }

  /** Loads an UNLOADED or FAILED version again (from its store folder or configured URL). */
  synchronized ServedModel load(String name, int version) {
    ServedModel old = version(name, version);
    if (old.state() == ServedModel.State.LOADING || old.state() == ServedModel.State.READY) {
      return old;
    }
    if (old.storeDir() == null && old.source() == null) {
      throw new ApiException(ProblemType.MODEL_CONFLICT, "Model " + old.id() + " has no source to load from.");
    }
    ServedModel fresh = new ServedModel(old.id(), old.source(), old.requestedDevice(), old.required(), old.storeDir(),
        old.metadata());
    startLoading(slot(name, false), fresh);
    persistAutoload(fresh, true);
    return fresh;
  }

  /**
   * Stops serving a version: new requests for it get 503, requests in flight finish, then its
   * network is closed. A stored version keeps its files and stays unloaded after a restart; a
   * configured one is served again after a restart, as the configuration says.
   */
  synchronized ServedModel unload(String name, int version) {
    ServedModel served = version(name, version);
    if (served.state() == ServedModel.State.LOADING) {
      throw new ApiException(ProblemType.MODEL_CONFLICT, "Model " + served.id() + " is still loading; unload it once"
          + " it is READY or FAILED.");
    }
    served.retire("unloaded (load it again with POST /api/v1/models/" + name + "/versions/" + version + "/load)");
    persistAutoload(served, false);
    return served;
  }

  /** Makes {@code version} the one requests for {@code name} get; it must be READY. */
  synchronized void setDefaultVersion(String name, int version) {
    ServedModel served = version(name, version);
    if (served.state() != ServedModel.State.READY) {
      throw new ApiException(ProblemType.MODEL_CONFLICT, "Model " + served.id() + " is " + served.state()
          + "; only a READY version can be the default (requests keep going to the current default meanwhile).");
    }
    slot(name, false).explicitDefault = version;
    persistDefaults();
  }

  /** Makes {@code name} the model requests without {@code model} get; it must have a READY default version. */
  synchronized void setDefaultModel(String name) {
    Slot slot = slot(name, false);
    Integer version = slot.defaultVersion();
    if (version == null || slot.versions.get(version).state() != ServedModel.State.READY) {
      throw new ApiException(ProblemType.MODEL_CONFLICT, "Model '" + name + "' has no READY default version; set"
          + " one first.");
    }
    defaultModel = name;
    persistDefaults();
  }

  private void persistDefaults() {
    Map<String, Integer> versions = new LinkedHashMap<>();
    slots.values().forEach(s -> {
      if (s.explicitDefault != null) {
        versions.put(s.name, s.explicitDefault);
      }
    });
    try {
      store.writeDefaults(defaultModel, versions);
    } catch (IOException e) {
      log.warn("Cannot save the defaults in the model store: {}", e.toString());
    }
  }

  private void persistAutoload(ServedModel served, boolean autoload) {
    if (served.storeDir() != null && served.metadata() != null && store.unavailable() == null) {
      try {
        ModelMetadata updated = served.metadata().withAutoload(autoload);
        store.writeMetadata(served.id(), updated);
        served.metadata(updated);
      } catch (IOException e) {
        log.warn("Cannot update the metadata of {}: {}", served.id(), e.toString());
      }
    }
  }

  private Slot slot(String name) {
    return slots.computeIfAbsent(name, Slot::new);
  }

  private void startLoading(Slot slot, ServedModel served) {
    ServedModel previous = slot.versions.put(served.id().version(), served);
    if (previous != null && previous != served) {
      previous.retire("replaced");
    }
    loader.submit(() -> loadNow(served));
  }

  /** Loads and warms up one version on the calling (loader) thread; READY or FAILED after. */
  private void loadNow(ServedModel served) {
    String url = served.storeDir() != null ? served.storeDir().toString() : served.source();
    ClassifierModel model = null;
    try {
      model = new ModelLoader(url, served.requestedDevice(), pool.threads()).load();
      InferenceBatcher batcher = new InferenceBatcher(model, pool, meters, served.tags());
      double warmUpMs = warmUp(model, batcher);
      synchronized (this) {
        if (slots.get(served.id().name()).versions.get(served.id().version()) != served) {
          batcher.close();
          model.close();
          return;
        }
        served.ready(model, batcher, warmUpMs);
      }
      log.info("Model {} is READY on {} (warm-up {} ms)", served.id(), model.device(), Math.round(warmUpMs));
    } catch (ModelLoadException e) {
      log.warn("Model {} FAILED: {}", served.id(), e.getMessage());
      served.failed(e.getMessage().replaceFirst("^Could not load the model from '[^']*': ", ""));
    } catch (Exception | LinkageError e) {
      log.warn("Model {} FAILED", served.id(), e);
      if (model != null) {
        model.close();
      }
      served.failed(LoadFailures.explain(url, e));
    }
  }

  /**
   * One inference through the pool and one input-gradient pass, so the first user request does
   * not pay for lazy native initialisation; returns the milliseconds both took.
   */
  private static double warmUp(ClassifierModel model, InferenceBatcher batcher) {
    float[] gray = new float[model.preprocessing().inputSize()];
    Arrays.fill(gray, 0.5f);
    long start = System.nanoTime();
    batcher.logits(gray);
    GradientNetwork gradient = model.gradient();
    gradient.exclusive(collector -> {
      try (NDManager manager = gradient.newManager()) {
        NDArray x = manager.create(gray, new Shape(1, 3, model.preprocessing().height(), model.preprocessing().width()));
        x.setRequiresGradient(true);
        collector.backward(gradient.logits(x).max());
        return x.getGradient().abs().sum().getFloat();
      }
    });
    return (System.nanoTime() - start) / 1e6;
  }

  @Override
  public void close() throws InterruptedException {
    loader.shutdownNow();
    loader.awaitTermination(10, TimeUnit.SECONDS);
    for (Slot slot : slots.values()) {
      for (ServedModel served : slot.versions.values()) {
        served.retire("shutting down");
      }
    }
  }
}
