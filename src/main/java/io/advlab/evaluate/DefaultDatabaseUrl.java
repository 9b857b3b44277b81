package io.advlab.evaluate;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Works out {@code advlab.database.default-url}, the database used when {@code ADVLAB_DATABASE_URL}
 * is not set: an H2 file beside the model store, by an absolute path. H2 refuses a file path that
 * is implicitly relative to the working directory ({@code data/models} is the store's default), so
 * the path is resolved here, after the configuration is read, whatever form the store setting has.
 */
public class DefaultDatabaseUrl implements EnvironmentPostProcessor, Ordered {

  static final String PROPERTY = "advlab.database.default-url";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource("advlab-default-database",
        Map.of(PROPERTY, url(environment.getProperty("advlab.store.dir", "data/models")))));
  }

  /** The H2 URL of the database file {@code <store>/.advlab-db}, by absolute path. */
  static String url(String storeDir) {
    Path file = Path.of(storeDir.strip()).toAbsolutePath().normalize().resolve(".advlab-db");
    return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
