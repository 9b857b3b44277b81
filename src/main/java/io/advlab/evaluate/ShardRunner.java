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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jobrunr.jobs.annotations.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one shard of an evaluation: a few dozen images of one cell, attacked in the model version's
 * background lanes ({@link AttackEngine#attackEach}: {@code advlab.evaluations.parallel} images at
 * once, shared with the other shards this replica runs), so their gradient steps reach the
 * scheduler together and share its batched passes. JobRunr calls it on whichever replica
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
  private static final long CANCEL_CHECK_NANOS = 500_000_000L;

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
      if (Thread.interrupted()) {
        // the worker is stopping (shutdown): the shard stays PENDING and runs again, it did not fail
        InterruptedException stopped = new InterruptedException("shard interrupted");
        stopped.initCause(e);
        throw stopped;
      }
      log.warn("Evaluation {} shard {}/{} failed", evaluationId, cell, shard, e);
      fail(evaluationId, e.getMessage());
    }
  }

  /** A shard's outcomes and its worst case (null when no image was turned wrong). */
  private record Result(List<ImageOutcome> outcomes, WorstCase worst) {}

  /** The shard's outcomes, or null when the evaluation was cancelled meanwhile. */
  private Result attack(EvaluationRepository.Job job, int cellIndex, EvaluationRepository.Shard work) {
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

    int first = work.firstImage();
    int count = work.imageCount();
    DatasetImage[] images = new DatasetImage[count];
    List<Map<String, Object>> params = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = first + i;
      images[i] = all.get(sample.get(index));
      Map<String, Object> p = new LinkedHashMap<>(baseParams);
      if (takesLabel) {
        p.put("label", labels[images[i].classIndex()]);
      }
      if (takesSeed) {
        p.put("seed", Math.floorMod(job.seed() * 1_000_003L + index, Long.MAX_VALUE));
      }
      params.add(p);
    }
    ImageOutcome[] outcomes = new ImageOutcome[count];
    WorstCase[] worst = new WorstCase[1];
    // only a new worst case gets its PNGs encoded: the shard keeps no other image
    boolean finished = attacks.attackEach(job.model(), count, i -> datasets.read(job.dataset(), images[i]),
        cell.method(), params::get, defence, properties.parallel(), cancelCheck(job.id()),
        (i, figures) -> worse(outcome(first + i, labels[images[i].classIndex()], figures), worst[0]), (i, r) -> {
          DatasetImage image = images[i];
          int label = labels[image.classIndex()];
          ImageOutcome outcome = outcome(first + i, label, r);
          outcomes[i] = outcome;
          if (worse(outcome, worst[0])) {
            worst[0] = new WorstCase(image.path(), label, outcome.adversarial(), outcome.l2(), outcome.linf(),
                java.util.Base64.getEncoder().encodeToString(datasets.read(job.dataset(), image)),
                r.adversarialImage(), r.perturbationImage());
          }
        });
    if (!finished) {
      return null;
    }
    return new Result(List.of(outcomes), worst[0]);
  }

  /** What a shard stores of image {@code index}'s attack. */
  private static ImageOutcome outcome(int index, int label, AttackResponse r) {
    return new ImageOutcome(index, label, r.original().predictions().get(0).index(),
        r.adversarial().predictions().get(0).index(), r.quantizedSuccess(), r.perturbation().l2(),
        r.perturbation().linf(), r.iterations(), r.completed());
  }

  /** Whether {@code outcome} is the shard's new worst case: a success with a smaller L2 than {@code worst}'s. */
  private static boolean worse(ImageOutcome outcome, WorstCase worst) {
    return outcome.success() && (worst == null || outcome.l2() < worst.l2());
  }

  /**
   * Whether the evaluation was cancelled, asked of the database at most every half second: the
   * attacks ask before every step.
   */
  private BooleanSupplier cancelCheck(String id) {
    return sticky(() -> cancelled(id), CANCEL_CHECK_NANOS);
  }

  /**
   * {@code source} asked at most once per {@code nanos} (the first call asks), and true for good
   * once it has been true.
   */
  static BooleanSupplier sticky(BooleanSupplier source, long nanos) {
    long[] asked = {System.nanoTime() - nanos};
    boolean[] answer = {false};
    return () -> {
      long now = System.nanoTime();
      if (!answer[0] && now - asked[0] >= nanos) {
        asked[0] = now;
        answer[0] = source.getAsBoolean();
      }
      return answer[0];
    };
  }

  private int[] labelsFor(EvaluationRepository.Job job) {
    try (ServedModel.Lease lease = models.acquire(job.model())) {
      return datasets.labelsFor(job.dataset(), lease.served().model().labels());
    }
  }

  private boolean cancelled(String id) {
    return repository.find(id).map(j -> j.state() == EvaluationState.CANCELLED).orElse(true);
  }

  private void fail(String id, String why) {
    if (repository.end(id, EvaluationState.FAILED, why)) {
      log.warn("Evaluation {} FAILED: {}", id, why);
    }
  }
}
