package io.advlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

class DatasetPropertiesTests {

  private static DatasetProperties bind(Map<String, Object> environment) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", environment));
    ConfigurationPropertySources.attach(env);
    return Binder.get(env).bindOrCreate("advlab.datasets", DatasetProperties.class);
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    DatasetProperties bound = bind(Map.of());
    assertThat(bound.dir()).isEqualTo(Path.of("data/datasets"));
    assertThat(bound.uploads()).isEqualTo(Path.of("data/datasets"));
    assertThat(bound.maxArchiveBytes()).isEqualTo(DataSize.ofMegabytes(512));
    assertThat(bound.maxArchiveFiles()).isEqualTo(100_000);
    assertThat(bound.maxUnpackedBytes()).isEqualTo(DataSize.ofGigabytes(2));
    assertThat(bound.maxImages()).isEqualTo(100_000);
  }

  @Test
  void environmentVariablesSetTheFolders() {
    DatasetProperties bound = bind(Map.of("ADVLAB_DATASETS_DIR", "/images", "ADVLAB_DATASETS_UPLOAD_DIR", "/uploads",
        "ADVLAB_DATASETS_MAX_IMAGES", "50"));
    assertThat(bound.dir()).isEqualTo(Path.of("/images"));
    assertThat(bound.uploads()).isEqualTo(Path.of("/uploads"));
    assertThat(bound.maxImages()).isEqualTo(50);
  }
}
