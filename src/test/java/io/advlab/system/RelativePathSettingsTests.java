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
 * to fail start-up on them.
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
        "advlab.datasets.dir", relative, "advlab.store.dir", "target/../target/relative-store"))) {
      assertThat(server.api().get("/api/v1/datasets").body()).contains("\"test\"").contains("\"train\"");
    }
  }
}
