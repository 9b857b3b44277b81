package io.advlab.evaluate;

import io.advlab.attack.AttackEngine;
import io.advlab.attack.AttackResponse;
import io.advlab.dataset.DatasetCatalog;
import io.advlab.dataset.DatasetImage;
import io.advlab.model.ModelRegistry;
import io.advlab.model.ServedModel;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jobrunr.jobs.annotations.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one shard of an evaluation: a few dozen images of one cell, attacked a few at a time so
 * their gradient steps share the scheduler's batched passes. JobRunr calls it on whichever replica
 * takes the job; a shard already done (a retry after a crash, a second replica) returns at once,
 * and the outcomes are stored by one conditional update, so every image counts exactly once.
 * Overload (503) is retried by JobRunr; anything else that makes the job impossible (the model
 * version gone, the data set changed) fails the evaluation with the reason.
 */
@Component
public class ShardRunner {

  private static final Logger log = LoggerFactory.getLogger(ShardRunner.class);
  /** This process, as shards record who ran them: host name and pid. */
  static final String WORKER = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();

  private final EvaluationRepository repository;
  private final DatasetCatalog datasets;
  private final AttackEngine attacks;
  private final ModelRegistry models;
  private final EvaluationProperties properties;
  private final JsonMapper json;

  ShardRunner(EvaluationRepository repository, DatasetCatalog datasets, AttackEngine attacks, ModelRegistry models,
      EvaluationProperties properties, JsonMapper json) {
    this.repository = repository;
    this.datasets = datasets;
    this.attacks = attacks;
    this.models = models;
    this.properties = properties;
    this.json = json;
  }

  @Job(name = "Evaluation %0, cell %1, shard %2", retries = 3)
  public void run(String evaluationId, int cell, int shard) throws InterruptedException {
    EvaluationRepository.Job job = repository.find(evaluationId).orElse(null);
    if (job == null || job.state() != EvaluationState.QUEUED && job.state() != EvaluationState.RUNNING) {
      return;
    }
    EvaluationRepository.Shard work = repository.shard(evaluationId, cell, shard).orElseThrow();
    if (!"PENDING".equals(work.state())) {
      return;
    }
    repository.started(evaluationId);
    try {
      long start = System.nanoTime();
      Result result = attack(job, cell, work);
      if (result == null) {
        return;
      }
      repository.finishShard(evaluationId, cell, shard, ImageOutcome.encode(result.outcomes(), json),
          (System.nanoTime() - start) / 1_000_000, WORKER,
          result.worst() == null ? null : json.writeValueAsString(result.worst()));
      repository.succeedIfDone(evaluationId);
    } catch (ApiException e) {
      if (e.type() == ProblemType.OVERLOADED) {
        throw e;
      }
      fail(evaluationId, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Evaluation {} shard {}/{} failed", evaluationId, cell, shard, e);
      fail(evaluationId, e.getMessage());
    }
  }

  /** A shard's outcomes and its worst case (null when no image was turned wrong). */
  private record Result(List<ImageOutcome> outcomes, WorstCase worst) {}

  /** One image's outcome, and its example when the attack turned it wrong. */
  private record Attacked(ImageOutcome outcome, WorstCase example) {}

  /** The shard's outcomes, or null when the evaluation was cancelled meanwhile. */
  private Result attack(EvaluationRepository.Job job, int cellIndex, EvaluationRepository.Shard work)
      throws InterruptedException {
    if (!datasets.get(job.dataset()).digest().equals(job.datasetDigest())) {
      throw new IllegalStateException("the data set '" + job.dataset() + "' changed since the evaluation started");
    }
    EvaluationRepository.Cell cell = repository.cells(job.id()).get(cellIndex);
    Map<String, Object> baseParams = json.readValue(cell.params(), new TypeReference<Map<String, Object>>() {});
    Map<String, Object> request = json.readValue(job.request(), new TypeReference<Map<String, Object>>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> defence = (Map<String, Object>) request.get("defence");
    List<DatasetImage> all = datasets.images(job.dataset());
    List<Integer> sample = ImageSample.of(all.size(), job.images(), job.seed());
    int[] labels = labelsFor(job);
    boolean takesLabel = attacks.takes(job.model(), cell.method(), "label");
    boolean takesSeed = attacks.takes(job.model(), cell.method(), "seed") && !baseParams.containsKey("seed");

    ExecutorService pool = Executors.newFixedThreadPool(Math.min(properties.parallel(), work.imageCount()));
    try {
      List<Future<Attacked>> futures = new ArrayList<>();
      for (int i = work.firstImage(); i < work.firstImage() + work.imageCount(); i++) {
        int index = i;
        DatasetImage image = all.get(sample.get(index));
        int label = labels[image.classIndex()];
        Map<String, Object> params = new LinkedHashMap<>(baseParams);
        if (takesLabel) {
          params.put("label", label);
        }
        if (takesSeed) {
          params.put("seed", Math.floorMod(job.seed() * 1_000_003L + index, Long.MAX_VALUE));
        }
        futures.add(pool.submit(() -> {
          if (cancelled(job.id())) {
            return null;
          }
          byte[] bytes = datasets.read(job.dataset(), image);
          AttackResponse r = attacks.attack(job.model(), bytes, cell.method(), params, null, defence);
          ImageOutcome outcome = new ImageOutcome(index, label, r.original().predictions().get(0).index(),
              r.adversarial().predictions().get(0).index(), r.quantizedSuccess(), r.perturbation().l2(),
              r.perturbation().linf(), r.iterations(), r.completed());
          WorstCase example = !outcome.success() ? null : new WorstCase(image.path(), label, outcome.adversarial(),
              outcome.l2(), outcome.linf(), java.util.Base64.getEncoder().encodeToString(bytes), r.adversarialImage(),
              r.perturbationImage());
          return new Attacked(outcome, example);
        }));
      }
      List<ImageOutcome> outcomes = new ArrayList<>();
      WorstCase worst = null;
      for (Future<Attacked> f : futures) {
        Attacked a = get(f);
        if (a == null) {
          return null;
        }
        outcomes.add(a.outcome());
        if (a.example() != null && (worst == null || a.example().l2() < worst.l2())) {
          worst = a.example();
        }
      }
      outcomes.sort(Comparator.comparingInt(ImageOutcome::index));
      return new Result(outcomes, worst);
    } finally {
      pool.shutdownNow();
    }
  }

  private int[] labelsFor(EvaluationRepository.Job job) {
    try (ServedModel.Lease lease = models.acquire(job.model())) {
      return datasets.labelsFor(job.dataset(), lease.served().model().labels());
    }
  }

  private boolean cancelled(String id) {
    return repository.find(id).map(j -> j.state() == EvaluationState.CANCELLED).orElse(true);
  }

  private static <T> T get(Future<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void fail(String id, String why) {
    if (repository.end(id, EvaluationState.FAILED, why)) {
      log.warn("Evaluation {} FAILED: {}", id, why);
    }
  }
}
