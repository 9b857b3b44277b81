package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two advlab processes, each started from the packaged jar ({@code java -jar target/advlab.jar}),
 * on one PostgreSQL database: one evaluation posted to the first is shared out shard by shard, both
 * run some, and every image is counted once; one killed (SIGKILL) in the middle of an evaluation and
 * started again loses and doubles nothing. The database is created for the run and dropped after
 * it, so a rerun sees no old jobs; the replicas' logs stay in {@code target/replicas}. Runs in {@code verify} (failsafe); skips when no PostgreSQL
 * answers unless {@code ADVLAB_REQUIRE_POSTGRES=true} ({@code .ci/run} starts one and sets it).
 */
class TwoReplicasOnPostgresIT {

  private static final String PATH = "/api/v1/evaluations";
  private static final int IMAGES = 240;
  private static final int SHARDS = 24;
  /** The replicas' output, kept for a failed run. */
  private static final Path LOGS = Path.of("target", "replicas");

  @TempDir
  static Path dir;

  private static TestRequirements.Postgres server;
  private static String database;
  private static TestRequirements.Postgres db;
  private static Path jar;
  private static Path model;
  private static Path digits;
  private static final List<Integer> ports = new ArrayList<>();
  private static final List<Process> replicas = new ArrayList<>();
  private static final List<HttpApi> apis = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    model = TestRequirements.assumeSharedModel("digits");
    digits = TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir()).getParent();
    server = TestRequirements.assumePostgres();
    jar = Path.of("target", "advlab.jar").toAbsolutePath();
    TestRequirements.assumeAvailable(Files.isRegularFile(jar), jar + " is absent (run ./mvnw package first)");

    database = "advlab_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(server, "create database " + database);
    db = server.withDatabase(database);
    Files.createDirectories(LOGS);
    for (int i = 0; i < 2; i++) {
      ports.add(freePort());
      replicas.add(null);
      apis.add(new HttpApi("http://127.0.0.1:" + ports.get(i)));
      launch(i);
    }
    for (int i = 0; i < 2; i++) {
      awaitReady(i);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : replicas) {
      if (p != null) {
        p.destroy();
      }
    }
    for (Process p : replicas) {
      if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (database != null) {
      execute(server, "drop database if exists " + database + " with (force)");
    }
  }

  @Test
  void bothReplicasRunShardsOfOneEvaluationAndEveryImageCountsOnce() throws InterruptedException {
    long t0 = System.nanoTime();
    String location = post(0, 5);
    JsonNode view = await(location, view1 -> false);

    assertThat(view.get("state").asString()).as(view.toString()).isEqualTo("SUCCEEDED");
    assertEveryImageOnce(view);
    JsonNode byWorker = view.get("progress").get("shardsByWorker");
    assertThat(byWorker.size()).as("two processes ran shards: " + byWorker).isEqualTo(2);
    for (JsonNode n : byWorker) {
      assertThat(n.asLong()).as(byWorker.toString()).isGreaterThanOrEqualTo(1);
    }
    System.out.printf("two replicas on PostgreSQL: %d shards in %.1f s, by worker %s%n", SHARDS,
        (System.nanoTime() - t0) / 1e9, byWorker);
  }

  /**
   * Replica 0 is killed (SIGKILL) while it runs shards and started again: the shards it held are
   * orphans (PROCESSING, their server's heartbeat gone) that JobRunr hands out again, and the
   * conditional update keeps every image counted once.
   */
  @Test
  void aReplicaKilledInTheMiddleOfAnEvaluationLosesAndDoublesNothing() throws Exception {
    long t0 = System.nanoTime();
    String location = post(0, 6);
    String killed = replicas.get(0).pid() + "@";
    JsonNode before = await(location, v -> shardsOf(v, killed) >= 1 && processingOnReplica0() >= 1);
    assertThat(before.get("state").asString()).as(before.toString()).isEqualTo("RUNNING");
    replicas.get(0).destroyForcibly().waitFor();
    long t1 = System.nanoTime();
    launch(0);
    awaitReady(0);
    JsonNode view = await(location, v -> false);
    long t2 = System.nanoTime();

    assertThat(view.get("state").asString()).as(view.toString()).isEqualTo("SUCCEEDED");
    assertEveryImageOnce(view);
    long orphans = orphanedJobs();
    assertThat(orphans).as("shards the killed replica held, run again").isGreaterThanOrEqualTo(1);
    System.out.printf("replica killed after %.1f s with %d of %d shards done (%d its own); %d orphaned shards run"
        + " again; finished %.1f s after the kill; by worker %s%n", (t1 - t0) / 1e9,
        before.get("progress").get("shardsDone").asInt(), SHARDS, shardsOf(before, killed), orphans, (t2 - t1) / 1e9,
        view.get("progress").get("shardsByWorker"));
  }

  /** Posts the evaluation (seeded) to replica {@code i}; its location. */
  private static String post(int i, long seed) {
    HttpApi.Response started = apis.get(i).postJson(PATH, Map.of("model", "digits", "dataset", "test", "seed", seed,
        "limit", IMAGES, "shardSize", IMAGES / SHARDS,
        "attacks", List.of(Map.of("method", "pgd", "params", Map.of("steps", 40, "earlyStop", false),
            "eps", List.of(0.1)))));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    return started.header("Location");
  }

  /** Polls replica 1 (never killed) until {@code done} holds or the evaluation ended. */
  private static JsonNode await(String location, Predicate<JsonNode> done) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    JsonNode view = apis.get(1).get(location).json();
    while (!done.test(view) && List.of("QUEUED", "RUNNING").contains(view.get("state").asString())) {
      assertThat(System.nanoTime()).as("within 10 minutes: " + view).isLessThan(until);
      Thread.sleep(250);
      view = apis.get(1).get(location).json();
    }
    return view;
  }

  private static void assertEveryImageOnce(JsonNode view) {
    JsonNode progress = view.get("progress");
    assertThat(progress.get("imagesDone").asInt()).isEqualTo(progress.get("imagesTotal").asInt()).isEqualTo(IMAGES);
    assertThat(view.get("results").get(0).get("images").asInt()).isEqualTo(IMAGES);
    long shards = 0;
    for (JsonNode n : progress.get("shardsByWorker")) {
      shards += n.asLong();
    }
    assertThat(shards).as(progress.toString()).isEqualTo(progress.get("shardsDone").asLong()).isEqualTo(SHARDS);
  }

  /** Shards done by the processes whose worker name starts with {@code workerPrefix} ("pid@"). */
  private static long shardsOf(JsonNode view, String workerPrefix) {
    long n = 0;
    for (var e : view.get("progress").get("shardsByWorker").properties()) {
      if (e.getKey().startsWith(workerPrefix)) {
        n += e.getValue().asLong();
      }
    }
    return n;
  }

  /** JobRunr's jobs that were found PROCESSING on a server that stopped answering. */
  private static long orphanedJobs() throws SQLException {
    return count("select count(*) from jobrunr_jobs where jobasjson like '%too long in PROCESSING%'");
  }

  /** Shards replica 0 is running now, as JobRunr's table says. */
  private static long processingOnReplica0() {
    try {
      return count("select count(*) from jobrunr_jobs where state = 'PROCESSING'"
          + " and jobasjson like '%\"serverName\":\"replica-0\"%'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Starts replica {@code i} from the jar on its port, its output in its own log file. */
  private static void launch(int i) throws IOException {
    Path log = LOGS.resolve(database + "-replica-" + i + ".log");
    replicas.set(i, new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-jar", jar.toString(), "--server.port=" + ports.get(i),
        "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
        "--spring.datasource.password=" + db.password(), "--advlab.model.url=" + model,
        "--advlab.datasets.dir=" + digits, "--advlab.store.dir=" + dir.resolve("store-" + i),
        "--jobrunr.background-job-server.worker-count=2", "--jobrunr.background-job-server.name=replica-" + i)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
  }

  private static void awaitReady(int i) throws IOException, InterruptedException {
    HttpApi api = apis.get(i);
    Process process = replicas.get(i);
    Path log = LOGS.resolve(database + "-replica-" + i + ".log");
    long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new AssertionError("replica exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        if (api.get("/actuator/health/readiness").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("replica not ready within 3 minutes:\n" + tail(log));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static void execute(TestRequirements.Postgres postgres, String sql) throws SQLException {
    try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
