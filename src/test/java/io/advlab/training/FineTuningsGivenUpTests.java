package io.advlab.training;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.advlab.evaluate.EvaluationState;
import java.time.Instant;
import java.util.List;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.JobState;
import org.junit.jupiter.api.Test;

/** A fine-tuning job JobRunr gives up on fails the fine-tuning; one that will be retried does not. */
class FineTuningsGivenUpTests {

  private final FineTuningRepository repository = mock(FineTuningRepository.class);
  private final FineTuningsGivenUp filter = new FineTuningsGivenUp(repository);

  @Test
  void aJobFailedAfterItsRetriesFailsTheFineTuningWithTheReason() {
    Job job = new Job(runJob("f1"), new EnqueuedState());
    job.failed("An exception occurred", new IllegalStateException("killed again"));
    applied(job);
    verify(repository).end(eq("f1"), eq(EvaluationState.FAILED), contains("killed again"));
  }

  @Test
  void aJobToBeRetriedOrAnotherJobLeavesItRunning() {
    Job job = new Job(runJob("f1"), new EnqueuedState());
    job.failed("Job processing was stopped as background job server has stopped", new InterruptedException());
    job.scheduleAt(Instant.now().plusSeconds(3), "Retry 1 of 3");
    applied(job);
    Job other = new Job(new JobDetails(String.class.getName(), null, "run",
        List.of(new JobParameter(String.class, "f2"))), new EnqueuedState());
    other.failed("An exception occurred", new IllegalStateException("no"));
    applied(other);
    verify(repository, never()).end(anyString(), any(), anyString());
  }

  private void applied(Job job) {
    List<JobState> states = job.getJobStates();
    for (int i = 1; i < states.size(); i++) {
      filter.onStateApplied(job, states.get(i - 1), states.get(i));
    }
  }

  private static JobDetails runJob(String id) {
    return new JobDetails(FineTuningRunner.class.getName(), null, "run", List.of(new JobParameter(String.class, id)));
  }
}
