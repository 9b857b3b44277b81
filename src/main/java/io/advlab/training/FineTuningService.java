package io.advlab.training;

import io.advlab.dataset.Dataset;
import io.advlab.dataset.DatasetCatalog;
import io.advlab.evaluate.EvaluationState;
import io.advlab.evaluate.EvaluationView;
import io.advlab.evaluate.Evaluations;
import io.advlab.model.ModelRef;
import io.advlab.model.ModelRegistry;
import io.advlab.model.ServedModel;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.scheduling.JobScheduler;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts, reads and cancels fine-tunings. A request is checked whole before anything is stored
 * (parent version READY, data sets and their classes, the recipe's ranges, one job per model at a
 * time, the cap on active jobs); the job is then stored and handed to JobRunr.
 */
@Service
class FineTuningService {

  private final FineTuningRepository repository;
  private final ModelRegistry models;
  private final DatasetCatalog datasets;
  private final Evaluations evaluations;
  private final FineTuningRunner runner;
  private final JobScheduler jobs;
  private final TrainingProperties properties;
  private final JsonMapper json;

  FineTuningService(FineTuningRepository repository, ModelRegistry models, DatasetCatalog datasets,
      Evaluations evaluations, FineTuningRunner runner, JobScheduler jobs, TrainingProperties properties,
      JsonMapper json) {
    this.repository = repository;
    this.models = models;
    this.datasets = datasets;
    this.evaluations = evaluations;
    this.runner = runner;
    this.jobs = jobs;
    this.properties = properties;
    this.json = json;
  }

  FineTuningView.Created submit(String name, FineTuningRequest request) {
    if (request.dataset() == null || request.dataset().isBlank()) {
      throw ApiException.invalidField("dataset", "'dataset' is required: one of GET /api/v1/datasets.");
    }
    long seed = request.seed() == null ? 0 : request.seed();
    Recipe recipe = Recipe.parse(request.method(), request.params(), seed, properties);
    boolean split = request.validationDataset() == null || request.validationDataset().isBlank();
    double share = request.validationSplit() == null ? 0.1 : request.validationSplit();
    if (!split && request.validationSplit() != null) {
      throw ApiException.invalidField("validationSplit", "Give 'validationDataset' or 'validationSplit', not both.");
    }
    if (split && (share <= 0 || share > 0.5)) {
      throw ApiException.invalidField("validationSplit", "'validationSplit' must be in (0, 0.5]; got " + share + ".");
    }
    try (ServedModel.Lease lease = models.acquire(new ModelRef(name, request.version()))) {
      ServedModel parent = lease.served();
      Dataset training = checkedDataset("dataset", request.dataset().strip(), parent);
      if (training.images() > properties.maxImages()) {
        throw ApiException.invalidField("dataset", "Data set '" + training.name() + "' has " + training.images()
            + " images, above advlab.training.max-images " + properties.maxImages() + ".");
      }
      if (split && Math.round(training.images() * share) < 1 || training.images() < 2) {
        throw ApiException.invalidField("validationSplit", "Data set '" + training.name() + "' is too small to split"
            + " off a validation share; give 'validationDataset'.");
      }
      Dataset validation = split ? null : checkedDataset("validationDataset", request.validationDataset().strip(),
          parent);
      if (repository.active(name) > 0) {
        throw new ApiException(ProblemType.FINE_TUNING_CONFLICT, "A fine-tuning of '" + name + "' is queued or"
            + " running (GET /api/v1/fine-tunings?model=" + name + "); start the next one when it has finished,"
            + " or cancel it.").with("model", name);
      }
      if (repository.active(null) >= properties.maxActive()) {
        throw new ApiException(ProblemType.TOO_MANY_JOBS, properties.maxActive() + " fine-tunings are queued or"
            + " running (advlab.training.max-active); try again when one has finished.")
            .with("retryAfterSeconds", 60);
      }
      return create(parent, training, validation, split ? share : null, recipe);
    }
  }

  private Dataset checkedDataset(String field, String name, ServedModel parent) {
    try {
      Dataset dataset = datasets.get(name);
      datasets.labelsFor(name, parent.model().labels());
      return dataset;
    } catch (ApiException e) {
      throw e.with("field", field);
    }
  }

  private synchronized FineTuningView.Created create(ServedModel parent, Dataset training, Dataset validation,
      Double split, Recipe recipe) {
    String id = UUID.randomUUID().toString();
    Map<String, Object> accepted = new LinkedHashMap<>();
    accepted.put("model", parent.id().toString());
    accepted.put("dataset", training.name());
    if (validation != null) {
      accepted.put("validationDataset", validation.name());
    } else {
      accepted.put("validationSplit", split);
    }
    accepted.put("recipe", recipe.asMap());
    repository.create(new FineTuningRepository.Job(id, EvaluationState.QUEUED, parent.id().name(),
        parent.id().version(), recipe.method().id(), training.name(), training.digest(),
        validation == null ? null : validation.name(), validation == null ? null : validation.digest(),
        json.writeValueAsString(accepted), recipe.seed(), null, null, null, null, null, null, Instant.now(), null, null,
        null));
    try {
      jobs.enqueue(() -> runner.run(id));
    } catch (RuntimeException e) {
      repository.end(id, EvaluationState.FAILED, "could not queue the job: " + e.getMessage());
      throw e;
    }
    return new FineTuningView.Created(id, EvaluationState.QUEUED);
  }

  FineTuningView view(String id) {
    return view(find(id));
  }

  FineTuningView.Page page(String model, int page, int size) {
    if (page < 0 || size < 1 || size > 100) {
      throw ApiException.invalidField(page < 0 ? "page" : "size", "'page' must be at least 0 and 'size' in [1, 100].");
    }
    String name = model == null || model.isBlank() ? null : model.strip();
    List<FineTuningView> items = repository.page(name, page * size, size).stream().map(this::view).toList();
    return new FineTuningView.Page(items, page, size, repository.count(name));
  }

  /** Cancels a queued or running job; training stops within a batch and its checkpoints are removed. */
  FineTuningView cancel(String id) {
    FineTuningRepository.Job job = find(id);
    if (!repository.end(id, EvaluationState.CANCELLED, null)) {
      throw new ApiException(ProblemType.FINE_TUNING_CONFLICT, "Fine-tuning " + id + " is " + job.state()
          + " already; only QUEUED or RUNNING fine-tunings can be cancelled.");
    }
    return view(id);
  }

  private FineTuningRepository.Job find(String id) {
    return repository.find(id).orElseThrow(() -> new ApiException(ProblemType.FINE_TUNING_NOT_FOUND,
        "No fine-tuning '" + id + "' (GET /api/v1/fine-tunings lists them)."));
  }

  private FineTuningView view(FineTuningRepository.Job job) {
    Map<String, Object> request = json.readValue(job.request(), new TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> recipe = (Map<String, Object>) request.get("recipe");
    List<FineTuningView.Epoch> epochs = repository.epochs(job.id()).stream().map(e -> new FineTuningView.Epoch(
        e.epoch(), round(e.loss()), round(e.trainingAccuracy()), round(e.cleanAccuracy()), round(e.robustAccuracy()),
        e.seconds())).toList();
    Map<String, String> evaluationIds = job.evaluations() == null ? null
        : json.readValue(job.evaluations(), new TypeReference<Map<String, String>>() {});
    FineTuningView.Result result = job.resultVersion() == null ? null
        : new FineTuningView.Result(job.model(), job.resultVersion(), job.model() + ":" + job.resultVersion());
    return new FineTuningView(job.id(), job.state(), job.model(), job.parentVersion(), job.method(), job.dataset(),
        job.datasetDigest(), job.validationDataset(), recipe, job.seed(), progress(job, recipe), epochs,
        job.bestEpoch(), job.stoppedEarly(), job.note(), result, evaluationIds, comparison(evaluationIds),
        job.createdAt(), job.startedAt(), job.finishedAt(), job.error());
  }

  private FineTuningView.Progress progress(FineTuningRepository.Job job, Map<String, Object> recipe) {
    int epochs = ((Number) recipe.get("epochs")).intValue();
    Instant end = job.finishedAt() != null ? job.finishedAt() : Instant.now();
    double elapsed = job.startedAt() == null ? 0 : Duration.between(job.startedAt(), end).toMillis() / 1000.0;
    if (job.progress() == null) {
      return new FineTuningView.Progress(0, epochs, 0, 0, null, null, round1(elapsed), null);
    }
    Map<String, Number> p = json.readValue(job.progress(), new TypeReference<Map<String, Number>>() {});
    int epoch = p.get("epoch").intValue();
    int batch = p.get("batch").intValue();
    int batches = p.get("batches").intValue();
    double runStart = p.containsKey("runStartEpochs") ? p.get("runStartEpochs").doubleValue() : 0;
    double done = (epoch - 1) + (double) batch / Math.max(1, batches);
    double runElapsed = p.containsKey("runElapsed") ? p.get("runElapsed").doubleValue() : elapsed;
    Double eta = job.state() != EvaluationState.RUNNING || done <= runStart ? null
        : round1(runElapsed / (done - runStart) * (epochs - done));
    return new FineTuningView.Progress(epoch, epochs, batch, batches, round(p.get("loss").doubleValue()),
        round(p.get("trainingAccuracy").doubleValue()), round1(elapsed), eta);
  }

  /** The evaluations' figures side by side, parent first. */
  private List<FineTuningView.Comparison> comparison(Map<String, String> ids) {
    if (ids == null) {
      return null;
    }
    List<FineTuningView.Comparison> out = new ArrayList<>();
    for (String role : List.of("parent", "child")) {
      String id = ids.get(role);
      if (id == null) {
        continue;
      }
      EvaluationView view;
      try {
        view = evaluations.view(id);
      } catch (ApiException e) {
        continue;
      }
      view.results().forEach(c -> out.add(new FineTuningView.Comparison(role, view.model(), id, view.state(),
          c.method(), c.eps(), c.images(), c.cleanAccuracy(), c.robustAccuracy())));
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
