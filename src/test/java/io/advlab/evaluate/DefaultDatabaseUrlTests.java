package io.advlab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default database URL is an H2 file beside the store, always by absolute path. */
class DefaultDatabaseUrlTests {

  @Test
  void relativeAndAbsoluteStoresGiveAnAbsoluteFile() {
    String here = Path.of("").toAbsolutePath().toString();
    assertThat(DefaultDatabaseUrl.url("data/models"))
        .isEqualTo("jdbc:h2:file:" + here + "/data/models/.advlab-db;DB_CLOSE_ON_EXIT=FALSE");
    assertThat(DefaultDatabaseUrl.url("/var/lib/advlab/models"))
        .isEqualTo("jdbc:h2:file:/var/lib/advlab/models/.advlab-db;DB_CLOSE_ON_EXIT=FALSE");
    assertThat(DefaultDatabaseUrl.url("../store/")).startsWith("jdbc:h2:file:/").doesNotContain("..");
  }
}
