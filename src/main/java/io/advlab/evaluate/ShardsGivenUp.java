package io.advlab.evaluate;

import java.util.List;
import java.util.Optional;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fails an evaluation when JobRunr gives up on one of its shards (failed after all its retries:
 * overloaded, or caught by a stop or a kill, four times in a row). Without it the shard would stay
 * PENDING and the evaluation RUNNING for ever, holding one of the {@code max-active} places.
 */
class ShardsGivenUp implements ApplyStateFilter {

  private static final Logger log = LoggerFactory.getLogger(ShardsGivenUp.class);

  /** A shard job: the evaluation, cell and shard it runs. */
  record ShardJob(String evaluationId, int cell, int shard) {}

  private final EvaluationRepository repository;

  ShardsGivenUp(EvaluationRepository repository) {
    this.repository = repository;
  }

  @Override
  public void onStateApplied(Job job, JobState oldState, JobState newState) {
    // A failure to be retried is followed by SCHEDULED in the same save: only a job left FAILED is given up.
    if (!(newState instanceof FailedState failed) || job.getState() != StateName.FAILED) {
      return;
    }
    shard(job.getJobDetails()).ifPresent(s -> {
      String why = "shard " + s.shard() + " of cell " + s.cell() + " failed after its retries: "
          + Optional.ofNullable(failed.getExceptionMessage()).orElse(failed.getMessage());
      if (repository.end(s.evaluationId(), EvaluationState.FAILED, why)) {
        log.warn("Evaluation {} FAILED: {}", s.evaluationId(), why);
      }
    });
  }

  /** The shard a job runs, when it is {@link ShardRunner#run}. */
  static Optional<ShardJob> shard(JobDetails details) {
    if (!ShardRunner.class.getName().equals(details.getClassName()) || !"run".equals(details.getMethodName())) {
      return Optional.empty();
    }
    Object[] args = details.getJobParameterValues();
    return Optional.of(new ShardJob((String) args[0], (Integer) args[1], (Integer) args[2]));
  }

  /** Hands the filter to JobRunr's server before the server starts taking jobs. */
  @Configuration(proxyBeanMethods = false)
  static class Registration {

    @Bean
    ShardsGivenUp shardsGivenUp(EvaluationRepository repository) {
      return new ShardsGivenUp(repository);
    }

    /** Every {@link JobFilter} bean (this one, and other features' such as fine-tunings') on the job server. */
    @Bean
    static BeanPostProcessor shardsGivenUpOnJobServer(ObjectProvider<JobFilter> filters) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (bean instanceof BackgroundJobServer server) {
            server.setJobFilters(List.copyOf(filters.orderedStream().toList()));
          }
          return bean;
        }
      };
    }
  }
}
