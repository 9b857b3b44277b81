package io.advlab.training;

import io.advlab.evaluate.EvaluationState;
import java.util.Optional;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fails a fine-tuning when JobRunr gives up on its job (failed after all its retries: stopped or
 * killed mid-training four times in a row). Without it the job would stay RUNNING for ever and
 * hold its model's one place. The evaluations' job-filter registration puts it on the job server.
 */
@Component
class FineTuningsGivenUp implements ApplyStateFilter {

  private static final Logger log = LoggerFactory.getLogger(FineTuningsGivenUp.class);

  private final FineTuningRepository repository;

  FineTuningsGivenUp(FineTuningRepository repository) {
    this.repository = repository;
  }

  @Override
  public void onStateApplied(Job job, JobState oldState, JobState newState) {
    // A failure to be retried is followed by SCHEDULED in the same save: only a job left FAILED is given up.
    if (!(newState instanceof FailedState failed) || job.getState() != StateName.FAILED
        || !FineTuningRunner.class.getName().equals(job.getJobDetails().getClassName())
        || !"run".equals(job.getJobDetails().getMethodName())) {
      return;
    }
    String id = (String) job.getJobDetails().getJobParameterValues()[0];
    String why = "the job failed after its retries: "
        + Optional.ofNullable(failed.getExceptionMessage()).orElse(failed.getMessage());
    if (repository.end(id, EvaluationState.FAILED, why)) {
      log.warn("Fine-tuning {} FAILED: {}", id, why);
    }
  }
}
