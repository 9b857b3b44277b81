package io.advlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.advlab.evaluate.EvaluationState;
import io.advlab.model.StoreProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jobrunr.jobs.lambdas.JobLambda;
import org.jobrunr.scheduling.JobScheduler;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A replica with {@code advlab.training.enabled=false} hands a fine-tuning job on instead of training. */
class TrainingDisabledTests {

  @Test
  void aServingReplicaPutsTheJobBackForAWorkerAndSaysSo() throws Exception {
    FineTuningRepository repository = mock(FineTuningRepository.class);
    JobScheduler jobs = mock(JobScheduler.class);
    when(repository.find("job")).thenReturn(Optional.of(new FineTuningRepository.Job("job", EvaluationState.QUEUED,
        "digits", 1, "pgd", "train", "sha256:x", "test", "sha256:y", "{}", 0, null, null, null, null, null, null,
        Instant.now(), null, null, null)));
    TrainingProperties off = new TrainingProperties(false, 2, 50, 50, 512, 100000, Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    FineTuningRunner runner = new FineTuningRunner(repository, null, null, null, null, jobs, off,
        new StoreProperties(Path.of("target", "store"), DataSize.ofMegabytes(1), 1, DataSize.ofMegabytes(1)), null);

    Instant before = Instant.now();
    runner.run("job");

    verify(jobs).schedule(any(Instant.class), any(JobLambda.class));
    verify(repository).note(eq("job"), anyString());
    verify(repository, never()).started("job");
    org.mockito.ArgumentCaptor<Instant> when = org.mockito.ArgumentCaptor.forClass(Instant.class);
    verify(jobs).schedule(when.capture(), any(JobLambda.class));
    assertThat(when.getValue()).isAfterOrEqualTo(before.plusSeconds(30));
  }
}
