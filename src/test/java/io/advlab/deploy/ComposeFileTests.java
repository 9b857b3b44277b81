package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.TestRequirements;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Validates {@code docker-compose.yml} with every Compose CLI on this machine (Debian's
 * {@code docker-compose} 1.29 and the {@code docker compose} plugin), as CI does; neither needs a
 * Docker engine for {@code config}. Skips, saying why, where no Compose CLI is installed.
 */
class ComposeFileTests {

  private static final Path COMPOSE_FILE = Path.of("docker-compose.yml").toAbsolutePath();
  private static final long TIMEOUT_SECONDS = 60;
  private static final String STORE_DIR = "/var/lib/advlab/models";

  @Test
  @SuppressWarnings("unchecked")
  void composeFileValidatesAndDefinesTheServiceWithPostgresPrometheusAndGrafana() throws Exception {
    for (List<String> cli : availableClis()) {
      Result quiet = run(cli, COMPOSE_FILE, "config", "-q");
      assertThat(quiet.rc()).as(cli + " config -q\n" + quiet.output()).isZero();

      Result rendered = run(cli, COMPOSE_FILE, "config");
      assertThat(rendered.rc()).as(cli + " config\n" + rendered.output()).isZero();
      Map<String, Object> services = services(rendered.output());
      assertThat(services).as(String.join(" ", cli)).containsKeys("advlab", "postgres", "prometheus", "grafana");
      assertAdvlabService((Map<String, Object>) services.get("advlab"));
      assertDatabaseWiring((Map<String, Object>) services.get("advlab"), (Map<String, Object>) services.get("postgres"));
    }
  }

  @Test
  void anInvalidComposeFileIsRejected(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("docker-compose.yml");
    Files.writeString(broken, "services:\n  advlab:\n    image: advlab:cpu\n    ports: 8080\n    restart: sometimes-maybe\n");

    for (List<String> cli : availableClis()) {
      Result result = run(cli, broken, "config", "-q");
      assertThat(result.rc()).as(cli + " accepted an invalid file\n" + result.output()).isNotZero();
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertAdvlabService(Map<String, Object> advlab) {
    assertThat(advlab.get("image")).isEqualTo("advlab:cpu");
    assertThat((Map<String, Object>) advlab.get("build")).containsKey("context");
    assertThat(String.valueOf(advlab.get("build"))).contains("BASE_IMAGE").contains("eclipse-temurin:17-jre");
    assertThat(String.valueOf(advlab.get("environment"))).contains("ADVLAB_MODEL_URL=/models/digits");
    assertThat(String.valueOf(advlab.get("healthcheck"))).contains("/actuator/health/readiness");
    assertThat(String.valueOf(advlab.get("volumes"))).contains("/models");
    assertThat(String.valueOf(advlab.get("environment"))).contains("ADVLAB_ADMIN_TOKEN");
    assertStoreVolumeIsMounted(advlab.get("volumes"));
    assertThat(advlab).containsKeys("restart", "mem_limit");
    assertThat(advlab.get("read_only")).isEqualTo(true);
  }

  /**
   * advlab keeps evaluation jobs in the {@code postgres} service, starts once it is healthy, and
   * logs in with the user, database and password PostgreSQL was created with ({@code advlab}, or
   * {@code ADVLAB_DATABASE_PASSWORD} for both sides); PostgreSQL's data is on a named volume.
   */
  @SuppressWarnings("unchecked")
  private static void assertDatabaseWiring(Map<String, Object> advlab, Map<String, Object> postgres) {
    Map<String, Object> env = (Map<String, Object>) advlab.get("environment");
    Map<String, Object> postgresEnv = (Map<String, Object>) postgres.get("environment");

    assertThat(postgres.get("image")).isEqualTo("postgres:16");
    assertThat(postgresEnv).containsEntry("POSTGRES_USER", "advlab").containsEntry("POSTGRES_DB", "advlab")
        .containsEntry("POSTGRES_PASSWORD", "advlab");
    assertThat(env).containsEntry("ADVLAB_DATABASE_URL", "jdbc:postgresql://postgres:5432/" + postgresEnv.get("POSTGRES_DB"))
        .containsEntry("ADVLAB_DATABASE_USER", postgresEnv.get("POSTGRES_USER"))
        .containsEntry("ADVLAB_DATABASE_PASSWORD", postgresEnv.get("POSTGRES_PASSWORD"));
    assertThat(String.valueOf(postgres.get("healthcheck"))).contains("pg_isready -U advlab -d advlab");
    assertThat((Map<String, Object>) ((Map<String, Object>) advlab.get("depends_on")).get("postgres"))
        .containsEntry("condition", "service_healthy");
    assertThat((List<Object>) postgres.get("volumes")).anySatisfy(volume -> assertThat(volume instanceof Map<?, ?> mount
        ? mount.get("source") + ":" + mount.get("target") : String.valueOf(volume))
        .startsWith("postgres-data:/var/lib/postgresql/data"));
  }

  /**
   * The named volume {@code advlab-store} is mounted read-write at the image's
   * {@code ADVLAB_STORE_DIR}. Compose v1 renders a mount as {@code "source:target:mode"}, v2 as a
   * map ({@code type}, {@code source}, {@code target}); both are accepted.
   */
  @SuppressWarnings("unchecked")
  private static void assertStoreVolumeIsMounted(Object volumes) {
    assertThat((List<Object>) volumes).anySatisfy(volume -> {
      if (volume instanceof Map<?, ?> mount) {
        assertThat(mount.get("type")).isEqualTo("volume");
        assertThat(mount.get("source")).isEqualTo("advlab-store");
        assertThat(mount.get("target")).isEqualTo(STORE_DIR);
        assertThat(mount.get("read_only")).isNotEqualTo(true);
      } else {
        assertThat(String.valueOf(volume)).matches("advlab-store:" + STORE_DIR + "(:rw)?");
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> services(String renderedConfig) {
    Map<String, Object> config = new Yaml().load(renderedConfig);
    return (Map<String, Object>) config.get("services");
  }

  /** {@code docker-compose} (v1) and {@code docker compose} (v2) where present; skips if neither is. */
  private static List<List<String>> availableClis() throws Exception {
    List<List<String>> clis = new ArrayList<>();
    if (onPath("docker-compose")) {
      clis.add(List.of("docker-compose"));
    }
    if (onPath("docker") && run(List.of("docker", "compose"), null, "version").rc() == 0) {
      clis.add(List.of("docker", "compose"));
    }
    TestRequirements.assumeAvailable(!clis.isEmpty(),
        "no Compose CLI (docker-compose or docker compose) on PATH; apt-get install docker-compose");
    System.out.println("Compose CLIs checked: " + clis);
    return clis;
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code cli [-f file] args...} without the ADVLAB_/GRAFANA_ variables the file interpolates. */
  private static Result run(List<String> cli, Path file, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(cli);
    if (file != null) {
      command.add("-f");
      command.add(file.toString());
    }
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("ADVLAB_") || k.startsWith("GRAFANA_"));
    if (file != null) {
      builder.directory(file.getParent().toFile());
    }
    Process process = builder.start();
    CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process));
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    return new Result(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(Process process) {
    try (InputStream in = process.getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int rc, String output) {}
}
