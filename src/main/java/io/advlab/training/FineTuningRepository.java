package io.advlab.training;

import io.advlab.evaluate.EvaluationState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The fine-tuning tables (see {@code db/migration/V2__fine_tunings.sql}). State changes are
 * conditional updates, so a cancel and a finishing job cannot both win, and an epoch is stored once.
 */
@Repository
class FineTuningRepository {

  /** A job as stored. */
  record Job(String id, EvaluationState state, String model, int parentVersion, String method, String dataset,
      String datasetDigest, String validationDataset, String validationDigest, String request, long seed,
      String progress, String note, Integer bestEpoch, String stoppedEarly, Integer resultVersion, String evaluations,
      Instant createdAt, Instant startedAt, Instant finishedAt, String error) {}

  private final JdbcClient jdbc;

  FineTuningRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void create(Job job) {
    jdbc.sql("insert into fine_tuning (id, state, model, parent_version, method, dataset, dataset_digest,"
            + " validation_dataset, validation_digest, request, seed, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)")
        .params(job.id(), job.state().name(), job.model(), job.parentVersion(), job.method(), job.dataset(),
            job.datasetDigest(), job.validationDataset(), job.validationDigest(), job.request(), job.seed(),
            Timestamp.from(job.createdAt()))
        .update();
  }

  Optional<Job> find(String id) {
    return jdbc.sql("select * from fine_tuning where id = ?").param(id).query(FineTuningRepository::job).optional();
  }

  List<Job> page(String model, int offset, int size) {
    return model == null
        ? jdbc.sql("select * from fine_tuning order by created_at desc, id limit ? offset ?").params(size, offset)
            .query(FineTuningRepository::job).list()
        : jdbc.sql("select * from fine_tuning where model = ? order by created_at desc, id limit ? offset ?")
            .params(model, size, offset).query(FineTuningRepository::job).list();
  }

  long count(String model) {
    return model == null ? jdbc.sql("select count(*) from fine_tuning").query(Long.class).single()
        : jdbc.sql("select count(*) from fine_tuning where model = ?").param(model).query(Long.class).single();
  }

  /** Jobs QUEUED or RUNNING: of one model, or of all when {@code model} is null. */
  long active(String model) {
    String active = "state in ('QUEUED', 'RUNNING')";
    return model == null ? jdbc.sql("select count(*) from fine_tuning where " + active).query(Long.class).single()
        : jdbc.sql("select count(*) from fine_tuning where model = ? and " + active).param(model)
            .query(Long.class).single();
  }

  List<EpochFigures> epochs(String id) {
    return jdbc.sql("select * from fine_tuning_epoch where fine_tuning_id = ? order by epoch").param(id)
        .query((rs, n) -> new EpochFigures(rs.getInt("epoch"), rs.getDouble("loss"), rs.getDouble("training_accuracy"),
            rs.getDouble("clean_accuracy"), rs.getDouble("robust_accuracy"), rs.getDouble("seconds")))
        .list();
  }

  void addEpoch(String id, EpochFigures e) {
    jdbc.sql("insert into fine_tuning_epoch (fine_tuning_id, epoch, loss, training_accuracy, clean_accuracy,"
            + " robust_accuracy, seconds) values (?, ?, ?, ?, ?, ?, ?)")
        .params(id, e.epoch(), e.loss(), e.trainingAccuracy(), e.cleanAccuracy(), e.robustAccuracy(), e.seconds())
        .update();
  }

  /** Forgets the finished epochs (a restart from the parent: their checkpoints are not here). */
  void clearEpochs(String id) {
    jdbc.sql("delete from fine_tuning_epoch where fine_tuning_id = ?").param(id).update();
  }

  /** QUEUED becomes RUNNING; a RUNNING job picked up again (a restart) keeps its start time. */
  void started(String id) {
    jdbc.sql("update fine_tuning set state = 'RUNNING', started_at = coalesce(started_at, ?) where id = ?"
            + " and state in ('QUEUED', 'RUNNING')").params(Timestamp.from(Instant.now()), id).update();
  }

  void progress(String id, String progress) {
    jdbc.sql("update fine_tuning set progress = ? where id = ?").params(progress, id).update();
  }

  void note(String id, String note) {
    jdbc.sql("update fine_tuning set note = ? where id = ?").params(note, id).update();
  }

  void outcome(String id, int bestEpoch, String stoppedEarly) {
    jdbc.sql("update fine_tuning set best_epoch = ?, stopped_early = ? where id = ?")
        .params(bestEpoch, stoppedEarly, id).update();
  }

  void result(String id, int version) {
    jdbc.sql("update fine_tuning set result_version = ? where id = ?").params(version, id).update();
  }

  void evaluations(String id, String evaluations) {
    jdbc.sql("update fine_tuning set evaluations = ? where id = ?").params(evaluations, id).update();
  }

  /** A job not yet finished becomes {@code state}; false when it had already finished. */
  boolean end(String id, EvaluationState state, String error) {
    return jdbc.sql("update fine_tuning set state = ?, finished_at = ?, error = ? where id = ?"
            + " and state in ('QUEUED', 'RUNNING')")
        .params(state.name(), Timestamp.from(Instant.now()), error, id).update() == 1;
  }

  private static Job job(ResultSet rs, int row) throws SQLException {
    return new Job(rs.getString("id"), EvaluationState.valueOf(rs.getString("state")), rs.getString("model"),
        rs.getInt("parent_version"), rs.getString("method"), rs.getString("dataset"), rs.getString("dataset_digest"),
        rs.getString("validation_dataset"), rs.getString("validation_digest"), rs.getString("request"),
        rs.getLong("seed"), rs.getString("progress"), rs.getString("note"),
        (Integer) rs.getObject("best_epoch", Integer.class), rs.getString("stopped_early"),
        (Integer) rs.getObject("result_version", Integer.class), rs.getString("evaluations"),
        instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("finished_at")), rs.getString("error"));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
