package io.advlab.training;

import io.advlab.dataset.DatasetCatalog;
import io.advlab.dataset.DatasetImage;
import io.advlab.evaluate.EvaluationRequest;
import io.advlab.evaluate.EvaluationState;
import io.advlab.evaluate.Evaluations;
import io.advlab.image.ImageLoader;
import io.advlab.model.ClassifierModel;
import io.advlab.model.ModelRef;
import io.advlab.model.ModelRegistry;
import io.advlab.model.ServedModel;
import io.advlab.model.StoreProperties;
import io.advlab.problem.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one fine-tuning as a JobRunr job, on whichever replica with {@code advlab.training.enabled}
 * takes it: loads the data and a trainable copy of the parent, trains (resuming after the last
 * finished epoch when its checkpoint is here), installs the kept epoch as the model's next version
 * and starts the evaluations that compare parent and child.
 *
 * <p>Checkpoints live in {@code <store>/.fine-tuning/<id>/}, outside every version folder; the new
 * version enters the store only through the registry's all-or-nothing install, so a cancelled,
 * failed or killed job leaves no half-written version. A job interrupted (a stop, a kill) is run
 * again by JobRunr and goes on from its last finished epoch.
 */
@Component
public class FineTuningRunner {

  private static final Logger log = LoggerFactory.getLogger(FineTuningRunner.class);
  static final String CHECKPOINTS = ".fine-tuning";

  private final FineTuningRepository repository;
  private final ModelRegistry models;
  private final DatasetCatalog datasets;
  private final ImageLoader images;
  private final Evaluations evaluations;
  private final JobScheduler jobs;
  private final TrainingProperties properties;
  private final Path checkpoints;
  private final JsonMapper json;

  FineTuningRunner(FineTuningRepository repository, ModelRegistry models, DatasetCatalog datasets, ImageLoader images,
      Evaluations evaluations, JobScheduler jobs, TrainingProperties properties, StoreProperties store,
      JsonMapper json) {
    this.repository = repository;
    this.models = models;
    this.datasets = datasets;
    this.images = images;
    this.evaluations = evaluations;
    this.jobs = jobs;
    this.properties = properties;
    this.checkpoints = store.dir().toAbsolutePath().normalize().resolve(CHECKPOINTS);
    this.json = json;
  }

  @Job(name = "Fine-tuning %0", retries = 3)
  public void run(String id) throws InterruptedException {
    FineTuningRepository.Job job = repository.find(id).orElse(null);
    if (job == null || job.state() != EvaluationState.QUEUED && job.state() != EvaluationState.RUNNING) {
      return;
    }
    if (!properties.enabled()) {
      repository.note(id, "waiting for a replica with advlab.training.enabled=true (last handed on at "
          + Instant.now() + ")");
      jobs.schedule(Instant.now().plus(properties.handOff()), () -> run(id));
      return;
    }
    repository.started(id);
    try {
      if (job.resultVersion() == null) {
        train(job);
      }
      finish(id);
    } catch (ApiException | IOException | IllegalArgumentException | IllegalStateException e) {
      stopIfInterrupted(e);
      fail(id, e.getMessage());
    } catch (RuntimeException e) {
      stopIfInterrupted(e);
      log.warn("Fine-tuning {} failed", id, e);
      fail(id, e.toString());
    }
  }

  private void train(FineTuningRepository.Job job) throws InterruptedException, IOException {
    String id = job.id();
    Map<String, Object> request = json.readValue(job.request(), new TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> recipeMap = (Map<String, Object>) request.get("recipe");
    Recipe recipe = Recipe.parse(job.method(), withoutDerived(recipeMap), job.seed(), properties);
    Path dir = Files.createDirectories(checkpoints.resolve(id));
    try (ServedModel.Lease lease = models.acquire(new ModelRef(job.model(), job.parentVersion()))) {
      ClassifierModel parent = lease.served().model();
      Path parentFile = parent.modelFile();
      io.advlab.model.Preprocessing preprocessing = parent.preprocessing();
      TrainingData all = load(job.dataset(), job.datasetDigest(), parent);
      TrainingData training = all;
      TrainingData validation;
      if (job.validationDataset() == null) {
        List<TrainingData> parts = all.split(((Number) request.get("validationSplit")).doubleValue(), job.seed());
        training = parts.get(0);
        validation = parts.get(1);
      } else {
        validation = load(job.validationDataset(), job.validationDigest(), parent);
      }
      if (validation.size() > recipe.validationLimit()) {
        validation = validation.subset(TrainingData.shuffled(validation.size(), job.seed() ^ 0x7A11DL)
            .subList(0, recipe.validationLimit()).stream().sorted().toList());
      }
      List<EpochFigures> done = resumable(id, dir);
      Path start = done.isEmpty() ? parentFile : dir.resolve(checkpointName(done.size()));
      int batches = TrainingLoop.batches(training.size(), recipe.batchSize());
      LearningRate rate = new LearningRate(recipe.schedule(), recipe.learningRate(), batches * recipe.epochs(),
          batches * done.size());
      TrainingLoop.Outcome outcome;
      try (TrainableNetwork net = new TrainableNetwork(start, parent.device(), preprocessing, recipe, rate,
          properties.yield())) {
        lease.close();
        outcome = new TrainingLoop(net, recipe, training, validation, preprocessing.height(), preprocessing.width())
            .run(done, new Progress(id, dir, done.size()));
      }
      if (outcome.cancelled()) {
        deleteQuietly(dir);
        return;
      }
      repository.outcome(id, outcome.bestEpoch(), outcome.stoppedEarly());
      install(job, recipe, outcome, parentFile, dir);
    }
  }

  /** The finished epochs whose checkpoint is here; a restart from the parent (said in the note) when it is not. */
  private List<EpochFigures> resumable(String id, Path dir) {
    List<EpochFigures> done = repository.epochs(id);
    if (done.isEmpty()) {
      return done;
    }
    if (Files.isRegularFile(dir.resolve(checkpointName(done.size())))) {
      repository.note(id, "resumed after epoch " + done.size() + " (from its checkpoint; Adam's moments restart)");
      return done;
    }
    repository.clearEpochs(id);
    repository.note(id, "restarted from the parent: the checkpoint of epoch " + done.size() + " is not on this"
        + " replica");
    return List.of();
  }

  /** Copies the kept epoch with the parent's synset.txt and serving.properties into a folder and installs it. */
  private void install(FineTuningRepository.Job job, Recipe recipe, TrainingLoop.Outcome outcome, Path parentFile,
      Path dir) throws IOException {
    String source = "fine-tuning:" + job.id();
    if (models.findBySource(job.model(), source).isPresent()) {
      return;
    }
    if (repository.find(job.id()).map(j -> j.state() != EvaluationState.RUNNING).orElse(true)) {
      deleteQuietly(dir);
      return;
    }
    Path folder = dir.resolve("result");
    deleteQuietly(folder);
    Files.createDirectories(folder);
    Files.copy(dir.resolve(checkpointName(outcome.bestEpoch())), folder.resolve(parentFile.getFileName()));
    for (String file : List.of("synset.txt", "serving.properties")) {
      Path from = parentFile.resolveSibling(file);
      if (Files.isRegularFile(from)) {
        Files.copy(from, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("fineTuning", job.id());
    details.put("parent", job.model() + ":" + job.parentVersion());
    details.put("recipe", recipe.asMap());
    details.put("seed", job.seed());
    details.put("dataset", Map.of("name", job.dataset(), "digest", job.datasetDigest()));
    if (job.validationDataset() != null) {
      details.put("validationDataset", Map.of("name", job.validationDataset(), "digest", job.validationDigest()));
    }
    details.put("epochs", outcome.epochs());
    details.put("bestEpoch", outcome.bestEpoch());
    if (outcome.stoppedEarly() != null) {
      details.put("stoppedEarly", outcome.stoppedEarly());
    }
    EpochFigures best = outcome.epochs().get(outcome.bestEpoch() - 1);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("validationCleanAccuracy", best.cleanAccuracy());
    metrics.put("validationRobustAccuracy", best.robustAccuracy());
    ServedModel child = models.registerDerived(job.model(), job.parentVersion(), source, recipe.method().id(), folder,
        details, metrics);
    repository.result(job.id(), child.id().version());
  }

  /** Waits for the child to load, then starts the evaluations of parent and child and ends the job. */
  private void finish(String id) throws InterruptedException {
    FineTuningRepository.Job job = repository.find(id).orElseThrow();
    if (job.state() != EvaluationState.RUNNING || job.resultVersion() == null) {
      return;
    }
    String childId = job.model() + ":" + job.resultVersion();
    ServedModel child = models.findBySource(job.model(), "fine-tuning:" + id).orElse(null);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    while (child != null && child.state() == ServedModel.State.LOADING && System.nanoTime() < deadline) {
      Thread.sleep(200);
      child = models.findBySource(job.model(), "fine-tuning:" + id).orElse(null);
    }
    if (child == null || child.state() != ServedModel.State.READY) {
      fail(id, "the new version " + childId + " did not load: " + (child == null ? "gone" : child.reason()));
      return;
    }
    if (job.evaluations() == null) {
      repository.evaluations(id, json.writeValueAsString(startEvaluations(job, childId)));
    }
    repository.end(id, EvaluationState.SUCCEEDED, null);
    deleteQuietly(checkpoints.resolve(id));
    log.info("Fine-tuning {} SUCCEEDED: {} from {}:{}", id, childId, job.model(), job.parentVersion());
  }

  /**
   * One evaluation each for parent and child on the validation data set (the training set when
   * validation is a split of it), same seed: PGD-20 (step eps/4, random start) at the recipe's eps
   * and the negative image.
   */
  private Map<String, String> startEvaluations(FineTuningRepository.Job job, String childId) {
    Map<String, Object> request = json.readValue(job.request(), new TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    double eps = ((Number) ((Map<String, Object>) request.get("recipe")).get("eps")).doubleValue();
    String dataset = job.validationDataset() != null ? job.validationDataset() : job.dataset();
    List<EvaluationRequest.Sweep> attacks = List.of(
        new EvaluationRequest.Sweep("pgd", Map.of("steps", 20, "stepSize", eps / 4, "randomStart", true), List.of(eps)),
        new EvaluationRequest.Sweep("semantic", Map.of(), List.of()));
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, String> roles = Map.of("parent", job.model() + ":" + job.parentVersion(), "child", childId);
    for (String role : List.of("parent", "child")) {
      try {
        ids.put(role, evaluations.start(new EvaluationRequest(roles.get(role), dataset, attacks, null, job.seed(), null,
            null)));
      } catch (ApiException e) {
        log.warn("Fine-tuning {}: the {} evaluation did not start: {}", job.id(), role, e.getMessage());
        repository.note(job.id(), "the " + role + " evaluation did not start: " + e.getMessage());
      }
    }
    return ids;
  }

  /** Decodes a data set into the parent's input, checking it is still the one the job was created with. */
  private TrainingData load(String name, String digest, ClassifierModel parent) {
    if (!datasets.get(name).digest().equals(digest)) {
      throw new IllegalStateException("the data set '" + name + "' changed since the fine-tuning was created");
    }
    int[] labelOf = datasets.labelsFor(name, parent.labels());
    List<DatasetImage> list = datasets.images(name);
    List<float[]> pixels = new ArrayList<>(list.size());
    int[] labels = new int[list.size()];
    for (int i = 0; i < list.size(); i++) {
      DatasetImage image = list.get(i);
      pixels.add(parent.preprocessor().toInput(images.fromBytes(datasets.read(name, image))));
      labels[i] = labelOf[image.classIndex()];
    }
    return new TrainingData(pixels, labels);
  }

  /** The recipe's stored map, without what {@link Recipe#parse} derives (so it parses back the same). */
  private static Map<String, Object> withoutDerived(Map<String, Object> recipe) {
    Map<String, Object> params = new LinkedHashMap<>(recipe);
    params.keySet().removeAll(List.of("method", "optimizer", "seed"));
    if ("fgsm-rs".equals(recipe.get("method"))) {
      params.remove("steps");
    }
    if ("clean".equals(recipe.get("method"))) {
      params.remove("cleanShare");
    }
    return params;
  }

  static String checkpointName(int epoch) {
    return "epoch-" + epoch + ".pt";
  }

  /** Persists progress every two seconds and reads cancellation as often. */
  private final class Progress implements TrainingLoop.Listener {
    private final String id;
    private final Path dir;
    private final int startEpochs;
    private final long runStart = System.nanoTime();
    private long lastWrite;
    private long lastCheck;
    private boolean cancelled;

    Progress(String id, Path dir, int startEpochs) {
      this.id = id;
      this.dir = dir;
      this.startEpochs = startEpochs;
    }

    @Override
    public void batch(int epoch, int batch, int batches, double loss, double accuracy) {
      long now = System.nanoTime();
      if (now - lastWrite > 2_000_000_000L || batch == batches) {
        lastWrite = now;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("epoch", epoch);
        p.put("batch", batch);
        p.put("batches", batches);
        p.put("loss", loss);
        p.put("trainingAccuracy", accuracy);
        p.put("runStartEpochs", startEpochs);
        p.put("runElapsed", (now - runStart) / 1e9);
        repository.progress(id, json.writeValueAsString(p));
      }
    }

    @Override
    public boolean cancelled() {
      long now = System.nanoTime();
      if (!cancelled && now - lastCheck > 2_000_000_000L) {
        lastCheck = now;
        cancelled = repository.find(id).map(j -> j.state() == EvaluationState.CANCELLED).orElse(true);
      }
      return cancelled;
    }

    @Override
    public Path checkpoint(int epoch) {
      return dir.resolve(checkpointName(epoch));
    }

    @Override
    public void epoch(EpochFigures figures) {
      repository.addEpoch(id, figures);
    }
  }

  /**
   * A failure caused by a stop (the thread interrupted, the database closing under it) is not the
   * job's: JobRunr runs it again, and it resumes, instead of it being marked FAILED.
   */
  private static void stopIfInterrupted(Exception e) throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      InterruptedException stop = new InterruptedException("stopped: " + e.getMessage());
      stop.initCause(e);
      throw stop;
    }
  }

  private void fail(String id, String why) {
    if (repository.end(id, EvaluationState.FAILED, why)) {
      log.warn("Fine-tuning {} FAILED: {}", id, why);
    }
    deleteQuietly(checkpoints.resolve(id));
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Cannot remove {}: {}", dir, e.toString());
    }
  }
}
