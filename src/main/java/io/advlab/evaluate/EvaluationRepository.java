package io.advlab.evaluate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The evaluation tables (see {@code db/migration}). A job is written with all its cells and
 * shards in one transaction, so a half-created job never exists; a shard's outcomes are written by
 * one conditional update, so a shard run twice (a crash, a retry, two replicas) counts once.
 */
@Repository
class EvaluationRepository {

  /** A job as stored. */
  record Job(String id, EvaluationState state, String model, String dataset, String datasetDigest, String request,
      long seed, int images, int shardSize, Instant createdAt, Instant startedAt, Instant finishedAt, String error) {}

  /** One cell: an attack at one eps (null for methods without eps). */
  record Cell(int cell, String method, Double eps, String params) {}

  /** One shard of a cell. */
  record Shard(int cell, int shard, int firstImage, int imageCount, String state, String outcomes, Long elapsedMs,
      String worker) {}

  private final JdbcClient jdbc;

  EvaluationRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  void create(Job job, List<Cell> cells, List<Shard> shards) {
    jdbc.sql("insert into evaluation (id, state, model, dataset, dataset_digest, request, seed, images, shard_size,"
            + " created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(job.id(), job.state().name(), job.model(), job.dataset(), job.datasetDigest(), job.request(),
            job.seed(), job.images(), job.shardSize(), Timestamp.from(job.createdAt()))
        .update();
    for (Cell c : cells) {
      jdbc.sql("insert into evaluation_cell (evaluation_id, cell, method, eps, params) values (?, ?, ?, ?, ?)")
          .params(job.id(), c.cell(), c.method(), c.eps(), c.params()).update();
    }
    for (Shard s : shards) {
      jdbc.sql("insert into evaluation_shard (evaluation_id, cell, shard, first_image, image_count, state)"
              + " values (?, ?, ?, ?, ?, 'PENDING')")
          .params(job.id(), s.cell(), s.shard(), s.firstImage(), s.imageCount()).update();
    }
  }

  Optional<Job> find(String id) {
    return jdbc.sql("select * from evaluation where id = ?").param(id).query(EvaluationRepository::job).optional();
  }

  List<Job> page(int offset, int size) {
    return jdbc.sql("select * from evaluation order by created_at desc, id limit ? offset ?").params(size, offset)
        .query(EvaluationRepository::job).list();
  }

  long count() {
    return jdbc.sql("select count(*) from evaluation").query(Long.class).single();
  }

  /** Jobs QUEUED or RUNNING. */
  long active() {
    return jdbc.sql("select count(*) from evaluation where state in ('QUEUED', 'RUNNING')").query(Long.class).single();
  }

  List<Cell> cells(String id) {
    return jdbc.sql("select cell, method, eps, params from evaluation_cell where evaluation_id = ? order by cell")
        .param(id)
        .query((rs, n) -> new Cell(rs.getInt("cell"), rs.getString("method"),
            rs.getObject("eps") == null ? null : rs.getDouble("eps"), rs.getString("params")))
        .list();
  }

  /**
   * Every shard of an evaluation without its outcomes ({@link Shard#outcomes()} is null): a view
   * reads the outcomes of a cell only when its figures are not cached ({@link #doneOutcomes}).
   */
  List<Shard> shardStates(String id) {
    return jdbc.sql("select cell, shard, first_image, image_count, state, elapsed_ms, worker from evaluation_shard"
            + " where evaluation_id = ? order by cell, shard").param(id)
        .query((rs, row) -> new Shard(rs.getInt("cell"), rs.getInt("shard"), rs.getInt("first_image"),
            rs.getInt("image_count"), rs.getString("state"), null,
            rs.getObject("elapsed_ms") == null ? null : rs.getLong("elapsed_ms"), rs.getString("worker")))
        .list();
  }

  /** The outcomes of the DONE shards of one cell, by shard number. */
  Map<Integer, String> doneOutcomes(String id, int cell) {
    Map<Integer, String> out = new java.util.TreeMap<>();
    jdbc.sql("select shard, outcomes from evaluation_shard where evaluation_id = ? and cell = ? and state = 'DONE'")
        .params(id, cell).query((rs, row) -> new java.util.AbstractMap.SimpleEntry<>(rs.getInt("shard"), rs.getString("outcomes"))).list()
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** One shard by its key: a shard run reads only its own row, not every shard's outcomes. */
  Optional<Shard> shard(String id, int cell, int shard) {
    return jdbc.sql("select * from evaluation_shard where evaluation_id = ? and cell = ? and shard = ?")
        .params(id, cell, shard).query(EvaluationRepository::shard).optional();
  }

  private static Shard shard(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Shard(rs.getInt("cell"), rs.getInt("shard"), rs.getInt("first_image"), rs.getInt("image_count"),
        rs.getString("state"), rs.getString("outcomes"), rs.getObject("elapsed_ms") == null ? null
        : rs.getLong("elapsed_ms"), rs.getString("worker"));
  }

  /** QUEUED becomes RUNNING on the first shard. */
  void started(String id) {
    jdbc.sql("update evaluation set state = 'RUNNING', started_at = ? where id = ? and state = 'QUEUED'")
        .params(Timestamp.from(Instant.now()), id).update();
  }

  /**
   * Stores a shard's outcomes unless it is already done; true when this call finished it.
   * {@code worker} names the process that ran it (host and pid), to see how replicas shared a job.
   */
  boolean finishShard(String id, int cell, int shard, String outcomes, long elapsedMs, String worker,
      String example) {
    return jdbc.sql("update evaluation_shard set state = 'DONE', outcomes = ?, elapsed_ms = ?, finished_at = ?,"
            + " worker = ?, example = ? where evaluation_id = ? and cell = ? and shard = ? and state = 'PENDING'")
        .params(outcomes, elapsedMs, Timestamp.from(Instant.now()), worker, example, id, cell, shard).update() == 1;
  }

  /** The stored worst-case examples of a cell's finished shards (JSON, see {@link WorstCase}). */
  List<String> examples(String id, int cell) {
    return jdbc.sql("select example from evaluation_shard where evaluation_id = ? and cell = ? and state = 'DONE'"
            + " and example is not null").params(id, cell).query(String.class).list();
  }

  /** RUNNING becomes SUCCEEDED once no shard is pending. */
  void succeedIfDone(String id) {
    jdbc.sql("update evaluation set state = 'SUCCEEDED', finished_at = ? where id = ? and state = 'RUNNING'"
            + " and not exists (select 1 from evaluation_shard where evaluation_id = ? and state = 'PENDING')")
        .params(Timestamp.from(Instant.now()), id, id).update();
  }

  /** A job not yet finished becomes {@code state}; false when it had already finished. */
  boolean end(String id, EvaluationState state, String error) {
    return jdbc.sql("update evaluation set state = ?, finished_at = ?, error = ? where id = ?"
            + " and state in ('QUEUED', 'RUNNING')")
        .params(state.name(), Timestamp.from(Instant.now()), error, id).update() == 1;
  }

  private static Job job(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Job(rs.getString("id"), EvaluationState.valueOf(rs.getString("state")), rs.getString("model"),
        rs.getString("dataset"), rs.getString("dataset_digest"), rs.getString("request"), rs.getLong("seed"),
        rs.getInt("images"), rs.getInt("shard_size"), instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")), rs.getString("error"));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
