package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.List;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.JobState;
import org.junit.jupiter.api.Test;

/** A shard JobRunr gives up on fails its evaluation; a shard that will be retried does not. */
class ShardsGivenUpTests {

  private final EvaluationRepository repository = mock(EvaluationRepository.class);
  private final ShardsGivenUp filter = new ShardsGivenUp(repository);

  @Test
  void aShardFailedAfterItsRetriesFailsTheEvaluationWithTheReason() {
    Job job = new Job(shardJob("e1", 1, 3), new EnqueuedState());
    job.failed("An exception occurred", new IllegalStateException("overloaded: try again"));

    applied(job);

    verify(repository).end(eq("e1"), eq(EvaluationState.FAILED), contains("shard 3 of cell 1 failed after its retries"));
    verify(repository).end(any(), any(), contains("overloaded: try again"));
  }

  @Test
  void aShardFailedButScheduledForARetryLeavesTheEvaluationRunning() {
    Job job = new Job(shardJob("e1", 0, 0), new EnqueuedState());
    job.failed("Job processing was stopped as background job server has stopped", new InterruptedException());
    job.scheduleAt(Instant.now().plusSeconds(3), "Retry 1 of 3");

    applied(job);

    verify(repository, never()).end(anyString(), any(), anyString());
  }

  @Test
  void otherJobsAreNotShards() {
    JobDetails other = new JobDetails(String.class.getName(), null, "run",
        List.of(new JobParameter(String.class, "e1"), new JobParameter(int.class, 0), new JobParameter(int.class, 0)));
    assertThat(ShardsGivenUp.shard(other)).isEmpty();
    assertThat(ShardsGivenUp.shard(shardJob("e2", 4, 7))).contains(new ShardsGivenUp.ShardJob("e2", 4, 7));
  }

  private void applied(Job job) {
    List<JobState> states = job.getJobStates();
    for (int i = 1; i < states.size(); i++) {
      filter.onStateApplied(job, states.get(i - 1), states.get(i));
    }
  }

  private static JobDetails shardJob(String id, int cell, int shard) {
    return new JobDetails(ShardRunner.class.getName(), null, "run", List.of(new JobParameter(String.class, id),
        new JobParameter(int.class, cell), new JobParameter(int.class, shard)));
  }
}
