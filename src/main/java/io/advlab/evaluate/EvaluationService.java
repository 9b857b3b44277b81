package io.advlab.evaluate;

import io.advlab.attack.AttackEngine;
import io.advlab.dataset.Dataset;
import io.advlab.dataset.DatasetCatalog;
import io.advlab.defence.DefendedInference;
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
 * Accepts, reads and cancels evaluations. A request is checked whole before anything is stored
 * (model, data set and its classes, every attack's parameters at every eps, the size caps); the
 * job, its cells and shards are then written in one transaction and each shard is handed to
 * JobRunr.
 */
@Service
class EvaluationService {

  private final EvaluationRepository repository;
  private final ModelRegistry models;
  private final DatasetCatalog datasets;
  private final AttackEngine attacks;
  private final ShardRunner runner;
  private final JobScheduler jobs;
  private final EvaluationProperties properties;
  private final JsonMapper json;
  /** Figures of cells by evaluation, cell and DONE shard count ({@link #figures}); the most recent few hundred. */
  private final Map<String, CellFigures> figuresCache = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CellFigures> eldest) {
          return size() > 512;
        }
      });

  EvaluationService(EvaluationRepository repository, ModelRegistry models, DatasetCatalog datasets,
      AttackEngine attacks, ShardRunner runner, JobScheduler jobs, EvaluationProperties properties, JsonMapper json) {
    this.repository = repository;
    this.models = models;
    this.datasets = datasets;
    this.attacks = attacks;
    this.runner = runner;
    this.jobs = jobs;
    this.properties = properties;
    this.json = json;
  }

  EvaluationView.Created submit(EvaluationRequest request) {
    if (request.dataset() == null || request.dataset().isBlank()) {
      throw ApiException.invalidField("dataset", "'dataset' is required: one of GET /api/v1/datasets.");
    }
    List<EvaluationRequest.Sweep> sweeps = request.attacks() == null ? List.of() : request.attacks();
    if (sweeps.isEmpty() || sweeps.size() > properties.maxAttacks()) {
      throw ApiException.invalidField("attacks", "'attacks' must list 1 to " + properties.maxAttacks()
          + " attacks, each {\"method\", \"params\", \"eps\": [...]}.");
    }
    long seed = request.seed() == null ? 0 : request.seed();
    int shardSize = request.shardSize() == null ? properties.shardSize() : request.shardSize();
    if (shardSize < 1 || shardSize > properties.maxShardSize()) {
      throw ApiException.invalidField("shardSize", "'shardSize' must be in [1, " + properties.maxShardSize()
          + "], got " + shardSize + ".");
    }
    String model;
    try (ServedModel.Lease lease = models.acquire(request.model())) {
      model = lease.served().id().toString();
      DefendedInference.parse(request.defence(), lease.served().model());
      Dataset dataset = datasets.get(request.dataset().strip());
      datasets.labelsFor(dataset.name(), lease.served().model().labels());
      int images = images(dataset, request.limit());
      List<EvaluationRepository.Cell> cells = cells(model, sweeps, request.defence());
      if ((long) images * cells.size() > properties.maxImages()) {
        throw ApiException.invalidField("limit", images + " images x " + cells.size() + " attack cells = "
            + (long) images * cells.size() + " attacks, above the limit of " + properties.maxImages()
            + " per evaluation (advlab.evaluations.max-images); set a smaller 'limit'.");
      }
      if (repository.active() >= properties.maxActive()) {
        throw new ApiException(ProblemType.TOO_MANY_JOBS, properties.maxActive() + " evaluations are queued or"
            + " running (advlab.evaluations.max-active); try again when one has finished.")
            .with("retryAfterSeconds", 30);
      }
      return create(request, model, dataset, images, seed, shardSize, cells);
    }
  }

  private EvaluationView.Created create(EvaluationRequest request, String model, Dataset dataset, int images,
      long seed, int shardSize, List<EvaluationRepository.Cell> cells) {
    String id = UUID.randomUUID().toString();
    List<EvaluationRepository.Shard> shards = new ArrayList<>();
    for (EvaluationRepository.Cell cell : cells) {
      for (int first = 0, shard = 0; first < images; first += shardSize, shard++) {
        shards.add(new EvaluationRepository.Shard(cell.cell(), shard, first, Math.min(shardSize, images - first),
            "PENDING", null, null, null));
      }
    }
    Map<String, Object> accepted = new LinkedHashMap<>();
    accepted.put("model", model);
    accepted.put("dataset", dataset.name());
    accepted.put("attacks", request.attacks());
    if (request.defence() != null) {
      accepted.put("defence", request.defence());
    }
    accepted.put("seed", seed);
    accepted.put("limit", images);
    accepted.put("shardSize", shardSize);
    repository.create(new EvaluationRepository.Job(id, EvaluationState.QUEUED, model, dataset.name(), dataset.digest(),
        json.writeValueAsString(accepted), seed, images, shardSize, Instant.now(), null, null, null), cells, shards);
    try {
      for (EvaluationRepository.Shard s : shards) {
        int cell = s.cell();
        int shard = s.shard();
        jobs.enqueue(() -> runner.run(id, cell, shard));
      }
    } catch (RuntimeException e) {
      repository.end(id, EvaluationState.FAILED, "could not queue its shards: " + e.getMessage());
      throw e;
    }
    return new EvaluationView.Created(id, EvaluationState.QUEUED);
  }

  private int images(Dataset dataset, Integer limit) {
    int available = datasets.images(dataset.name()).size();
    if (limit == null) {
      return available;
    }
    if (limit < 1) {
      throw ApiException.invalidField("limit", "'limit' must be at least 1, got " + limit + ".");
    }
    return Math.min(limit, available);
  }

  /** One cell per attack and eps, each checked against the model as a single attack would be. */
  private List<EvaluationRepository.Cell> cells(String model, List<EvaluationRequest.Sweep> sweeps,
      Map<String, Object> defence) {
    List<EvaluationRepository.Cell> cells = new ArrayList<>();
    for (int i = 0; i < sweeps.size(); i++) {
      EvaluationRequest.Sweep sweep = sweeps.get(i);
      String field = "attacks[" + i + "]";
      if (sweep == null || sweep.method() == null || sweep.method().isBlank()) {
        throw ApiException.invalidField(field + ".method", "'" + field + ".method' is required.");
      }
      Map<String, Object> params = sweep.params() == null ? Map.of() : sweep.params();
      if (params.containsKey("eps") || params.containsKey("label")) {
        throw ApiException.invalidField(field + ".params", "'eps' comes from the sweep's 'eps' list and 'label' from"
            + " each image's class; leave both out of '" + field + ".params'.");
      }
      List<Double> epsList = sweep.eps() == null ? List.of() : sweep.eps();
      if (epsList.size() > properties.maxEps()) {
        throw ApiException.invalidField(field + ".eps", "At most " + properties.maxEps() + " eps values per attack.");
      }
      boolean takesEps = checked(field, () -> attacks.takes(model, sweep.method(), "eps"));
      if (!epsList.isEmpty() && !takesEps) {
        throw ApiException.invalidField(field + ".eps", "Method '" + sweep.method() + "' has no eps; leave out '"
            + field + ".eps'.");
      }
      for (Double eps : epsList.isEmpty() ? java.util.Collections.<Double>singletonList(null) : epsList) {
        Map<String, Object> withEps = new LinkedHashMap<>(params);
        if (eps != null) {
          withEps.put("eps", eps);
        }
        checked(field, () -> {
          attacks.check(model, sweep.method(), withEps, defence);
          return null;
        });
        cells.add(new EvaluationRepository.Cell(cells.size(), sweep.method().strip(), eps,
            json.writeValueAsString(withEps)));
      }
    }
    return cells;
  }

  /** Runs a check, naming the attack in the field of its 400 ({@code attacks[1].params.eps}). */
  private static <T> T checked(String field, java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (ApiException e) {
      Object inner = e.properties().get("field");
      if (inner != null) {
        e.with("field", field + "." + inner);
      }
      throw e;
    }
  }

  EvaluationView view(String id) {
    return view(find(id));
  }

  EvaluationView.Page page(int page, int size) {
    if (page < 0 || size < 1 || size > 100) {
      throw ApiException.invalidField(page < 0 ? "page" : "size", "'page' must be at least 0 and 'size' in [1, 100].");
    }
    List<EvaluationView> items = repository.page(page * size, size).stream().map(this::view).toList();
    return new EvaluationView.Page(items, page, size, repository.count());
  }

  /** Cancels a queued or running evaluation; shards stop at their next image. */
  EvaluationView cancel(String id) {
    EvaluationRepository.Job job = find(id);
    if (!repository.end(id, EvaluationState.CANCELLED, null)) {
      throw new ApiException(ProblemType.EVALUATION_FINISHED, "Evaluation " + id + " is " + job.state()
          + " already; only QUEUED or RUNNING evaluations can be cancelled.");
    }
    return view(id);
  }

  List<CellFigures> results(String id) {
    EvaluationRepository.Job job = find(id);
    return figures(job, repository.shardStates(id));
  }

  /** The smallest successful perturbation of cell {@code cell}; 404 when there is none (yet). */
  WorstCase worstCase(String id, int cell) {
    find(id);
    if (cell < 0 || cell >= repository.cells(id).size()) {
      throw new ApiException(ProblemType.NOT_FOUND, "Evaluation " + id + " has cells 0.." + (repository.cells(id).size()
          - 1) + " (one per attack and eps, in the order of 'results').").with("field", "cell");
    }
    return repository.examples(id, cell).stream().map(text -> json.readValue(text, WorstCase.class))
        .min(java.util.Comparator.comparingDouble(WorstCase::l2))
        .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No image of cell " + cell
            + " has been turned wrong by the attack (yet)."));
  }

  private EvaluationRepository.Job find(String id) {
    return repository.find(id).orElseThrow(() -> new ApiException(ProblemType.EVALUATION_NOT_FOUND,
        "No evaluation '" + id + "' (GET /api/v1/evaluations lists them)."));
  }

  private EvaluationView view(EvaluationRepository.Job job) {
    List<EvaluationRepository.Shard> shards = repository.shardStates(job.id());
    List<CellFigures> figures = figures(job, shards);
    int done = figures.stream().mapToInt(CellFigures::images).sum();
    int total = job.images() * figures.size();
    int shardsDone = (int) shards.stream().filter(s -> "DONE".equals(s.state())).count();
    Instant end = job.finishedAt() != null ? job.finishedAt() : Instant.now();
    double elapsed = job.startedAt() == null ? 0 : Duration.between(job.startedAt(), end).toMillis() / 1000.0;
    Double eta = job.state() != EvaluationState.RUNNING || done == 0 ? null
        : Math.round(elapsed / done * (total - done) * 10) / 10.0;
    Map<String, Object> request = json.readValue(job.request(), new TypeReference<Map<String, Object>>() {});
    Map<String, Long> workers = new java.util.TreeMap<>();
    shards.stream().filter(s -> s.worker() != null).forEach(s -> workers.merge(s.worker(), 1L, Long::sum));
    return new EvaluationView(job.id(), job.state(), job.model(), job.dataset(), job.datasetDigest(), job.seed(),
        job.images(), request, new EvaluationView.Progress(done, total, shardsDone, shards.size(),
            Math.round(elapsed * 10) / 10.0, eta, workers),
        figures, job.createdAt(), job.startedAt(), job.finishedAt(), job.error());
  }

  /**
   * Each cell's figures over its DONE shards ({@code shards} as {@link EvaluationRepository#shardStates}
   * reads them). A DONE shard never changes and a cell's DONE shards only grow, so a cell's figures
   * are cached by their count: a client or an event stream polling a running job decodes each
   * cell's outcomes once per finished shard, not on every poll (on two cores those polls took CPU
   * from the evaluation's own passes).
   */
  private List<CellFigures> figures(EvaluationRepository.Job job, List<EvaluationRepository.Shard> shards) {
    List<CellFigures> out = new ArrayList<>();
    for (EvaluationRepository.Cell cell : repository.cells(job.id())) {
      List<EvaluationRepository.Shard> done = shards.stream()
          .filter(s -> s.cell() == cell.cell() && "DONE".equals(s.state())).toList();
      String key = job.id() + "/" + cell.cell() + "/" + done.size();
      CellFigures figures = figuresCache.get(key);
      if (figures == null) {
        Map<Integer, String> stored = repository.doneOutcomes(job.id(), cell.cell());
        List<ImageOutcome> outcomes = new ArrayList<>();
        long ms = 0;
        for (EvaluationRepository.Shard s : done) {
          outcomes.addAll(ImageOutcome.decode(stored.get(s.shard()), json));
          ms += s.elapsedMs() == null ? 0 : s.elapsedMs();
        }
        figures = CellFigures.of(cell.method(), cell.eps(), job.images(), outcomes, ms / 1000.0);
        figuresCache.put(key, figures);
      }
      out.add(figures);
    }
    return out;
  }
}
