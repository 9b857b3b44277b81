package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Folder settings take relative paths with {@code ..} as people write them
 * ({@code ADVLAB_DATASETS_DIR=../shared/images/digits}); Spring's resource-style conversion used
 * to fail start-up on them. The default database beside a relative store works too (H2 refuses
 * implicitly relative file paths, so the default URL is made absolute).
 */
@RequiresSharedModel("digits")
class RelativePathSettingsTests {

  @Test
  void relativeFoldersWithParentSegmentsBind() {
    Path here = Path.of("").toAbsolutePath();
    Path digits = TestRequirements.sharedDir().resolve("images").resolve("digits");
    TestRequirements.assumeSharedImages(digits);
    String relative = here.relativize(digits).toString();
    assertThat(relative).startsWith("..");
    try (TestServer server = new TestServer(Map.of("advlab.model.url", TestRequirements.sharedModel("digits").toString(),
        "advlab.datasets.dir", relative, "advlab.store.dir", "target/../target/relative-store",
        "spring.datasource.url", "${advlab.database.default-url}"))) {
      assertThat(server.api().get("/api/v1/datasets").body()).contains("\"test\"").contains("\"train\"");
      assertThat(server.api().get("/api/v1/evaluations").status()).as("the default H2 file database works").isEqualTo(200);
      assertThat(Path.of("target", "relative-store", ".advlab-db.mv.db")).isRegularFile();
    }
  }
}
