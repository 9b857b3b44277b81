package io.advlab.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Where tests find {@code ../shared} (models, photos, digits) and the one place that skips a
 * test, with the reason printed, when something it needs is absent.
 */
public final class TestRequirements {

  private TestRequirements() {}

  /** The shared folder: system property {@code advlab.shared.dir}, else {@code ../shared}. */
  public static Path sharedDir() {
    String configured = System.getProperty("advlab.shared.dir");
    Path dir = configured == null || configured.isBlank() ? Path.of("..", "shared") : Path.of(configured);
    return dir.toAbsolutePath().normalize();
  }

  public static Path sharedModel(String name) {
    return sharedDir().resolve("models").resolve(name);
  }

  public static Path photosDir() {
    return sharedDir().resolve("images").resolve("photos");
  }

  public static Path digitsTestDir() {
    return sharedDir().resolve("images").resolve("digits").resolve("test");
  }

  /** Skips unless {@code ../shared/models/<name>} exists; returns its path. */
  public static Path assumeSharedModel(String name) {
    Path dir = sharedModel(name);
    assumeAvailable(Files.isDirectory(dir), "shared model " + dir + " is absent (CI has it; put ../shared beside the checkout)");
    return dir;
  }

  /** Skips unless {@code ../shared/images/<sub>} exists; returns its path. */
  public static Path assumeSharedImages(Path dir) {
    assumeAvailable(Files.isDirectory(dir), "shared images " + dir + " are absent (CI has them; put ../shared beside the checkout)");
    return dir;
  }

  /**
   * Skips unless a Docker engine answers (Testcontainers' own discovery: DOCKER_HOST, socket); fails
   * instead where {@code ADVLAB_REQUIRE_DOCKER=true} (set by {@code .ci/run} once it started one).
   */
  public static void assumeDocker() {
    boolean available;
    try {
      available = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      available = false;
    }
    String why = "no Docker engine is reachable (CI starts one with .ci/docker-setup.sh)";
    if (!available && Boolean.parseBoolean(System.getenv("ADVLAB_REQUIRE_DOCKER"))) {
      throw new AssertionError(why + ", and ADVLAB_REQUIRE_DOCKER=true forbids skipping the container test");
    }
    assumeAvailable(available, why);
  }

  /**
   * The PostgreSQL of {@code ADVLAB_TEST_POSTGRES_URL} (default
   * {@code jdbc:postgresql://127.0.0.1:5432/advlab}, user and password {@code advlab}, or
   * {@code ADVLAB_TEST_POSTGRES_USER} / {@code ADVLAB_TEST_POSTGRES_PASSWORD}). Skips unless it
   * answers; fails instead where {@code ADVLAB_REQUIRE_POSTGRES=true} (set by {@code .ci/run} once it
   * started one).
   */
  public static Postgres assumePostgres() {
    Postgres postgres = new Postgres(env("ADVLAB_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/advlab"),
        env("ADVLAB_TEST_POSTGRES_USER", "advlab"), env("ADVLAB_TEST_POSTGRES_PASSWORD", "advlab"));
    String why = null;
    try (var c = postgres.connect()) {
      c.isValid(5);
    } catch (java.sql.SQLException e) {
      why = "no PostgreSQL at " + postgres.url() + " (" + e.getMessage() + "; CI starts one with .ci/postgres-setup.sh)";
    }
    if (why != null && Boolean.parseBoolean(System.getenv("ADVLAB_REQUIRE_POSTGRES"))) {
      throw new AssertionError(why + ", and ADVLAB_REQUIRE_POSTGRES=true forbids skipping the PostgreSQL test");
    }
    assumeAvailable(why == null, why);
    return postgres;
  }

  /** A PostgreSQL database to connect to. */
  public record Postgres(String url, String user, String password) {

    public java.sql.Connection connect() throws java.sql.SQLException {
      java.sql.DriverManager.setLoginTimeout(5);
      return java.sql.DriverManager.getConnection(url, user, password);
    }

    /** The same server, another database. */
    public Postgres withDatabase(String name) {
      return new Postgres(url.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1"), user, password);
    }
  }

  /**
   * Chromium and its ChromeDriver for the browser tests: {@code ADVLAB_CHROMIUM} and
   * {@code ADVLAB_CHROMEDRIVER}, else {@code chromium} (or {@code chromium-browser},
   * {@code google-chrome}) and {@code chromedriver} on the PATH. Skips unless both are there; fails
   * instead where {@code ADVLAB_REQUIRE_BROWSER=true} (set by {@code .ci/run} once it installed them).
   */
  public static Chromium assumeChromium() {
    Path browser = executable("ADVLAB_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
    Path driver = executable("ADVLAB_CHROMEDRIVER", "chromedriver");
    String missing = browser == null ? "chromium (ADVLAB_CHROMIUM or the PATH)"
        : driver == null ? "chromedriver (ADVLAB_CHROMEDRIVER or the PATH)" : null;
    String why = missing == null ? null
        : "no executable " + missing + "; on Debian: apt-get install chromium chromium-driver";
    if (why != null && Boolean.parseBoolean(System.getenv("ADVLAB_REQUIRE_BROWSER"))) {
      throw new AssertionError(why + ", and ADVLAB_REQUIRE_BROWSER=true forbids skipping the browser tests");
    }
    assumeAvailable(why == null, why);
    return new Chromium(browser, driver);
  }

  /** A browser binary and the ChromeDriver that drives it. */
  public record Chromium(Path browser, Path driver) {}

  /** The file named by environment variable {@code variable}, else the first of {@code names} on the PATH. */
  private static Path executable(String variable, String... names) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      return Files.isExecutable(path) ? path : null;
    }
    String pathVariable = System.getenv("PATH");
    for (String name : names) {
      for (String dir : (pathVariable == null ? "" : pathVariable).split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  public static void assumeAvailable(boolean condition, String why) {
    if (!condition) {
      System.out.println("SKIPPED: " + why);
    }
    assumeTrue(condition, why);
  }
}
