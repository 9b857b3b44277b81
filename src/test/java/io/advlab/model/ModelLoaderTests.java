package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from a local folder, and the clear failure for models that cannot be loaded. */
@RequiresSharedModel("digits")
class ModelLoaderTests {

  private static ModelProperties properties(String url) {
    return new ModelProperties(url, "", "cpu", 1, 0, 8, Duration.ofMillis(1), 8, Duration.ofSeconds(30));
  }

  @Test
  void loadsFolderWithServingPropertiesAndSynset() {
    try (ClassifierModel model = new ModelLoader(properties(TestRequirements.sharedModel("digits").toString())).load()) {
      assertThat(model.name()).isEqualTo("digits");
      assertThat(model.classes()).isEqualTo(10);
      assertThat(model.labels().get(3).name()).isEqualTo("3");
      assertThat(model.preprocessing().width()).isEqualTo(32);
      assertThat(model.preprocessing().mean()).containsExactly(0.5f, 0.5f, 0.5f);
      assertThat(model.parameterCount()).isPositive();
      assertThat(model.device().toString()).isEqualTo("cpu()");
    }
  }

  @Test
  void turnsTorchScriptsGraphOptimizerOffUnlessTheOperatorChose() {
    String digits = TestRequirements.sharedModel("digits").toString();
    String before = System.getProperty(GraphOptimizer.PROPERTY);
    try {
      System.clearProperty(GraphOptimizer.PROPERTY);
      new ModelLoader(properties(digits)).load().close();
      assertThat(System.getProperty(GraphOptimizer.PROPERTY)).isEqualTo("false");

      System.setProperty(GraphOptimizer.PROPERTY, "true");
      try (ClassifierModel model = new ModelLoader(properties(digits)).load()) {
        assertThat(System.getProperty(GraphOptimizer.PROPERTY)).isEqualTo("true");
        assertThat(model.classes()).isEqualTo(10);
      }
    } finally {
      if (before == null) {
        System.clearProperty(GraphOptimizer.PROPERTY);
      } else {
        System.setProperty(GraphOptimizer.PROPERTY, before);
      }
    }
  }

  @Test
  void folderUnderAnotherNameLoadsItsOnlyModelFile(@TempDir Path temp) throws IOException {
    Path digits = TestRequirements.sharedModel("digits");
    Path baked = Files.createDirectory(temp.resolve("baked"));
    Files.copy(digits.resolve("digits.pt"), baked.resolve("net.pt"));
    Files.copy(digits.resolve("synset.txt"), baked.resolve("synset.txt"));
    List<String> serving = Files.readAllLines(digits.resolve("serving.properties")).stream()
        .filter(line -> !line.startsWith("option.modelName")).toList();
    Files.write(baked.resolve("serving.properties"), serving);

    try (ClassifierModel model = new ModelLoader(properties(baked.toString())).load()) {
      assertThat(model.name()).isEqualTo("net");
      assertThat(model.classes()).isEqualTo(10);
      assertThat(model.preprocessing().width()).isEqualTo(32);
    }
  }

  @Test
  void missingFolderFailsWithThePath() {
    assertThatThrownBy(() -> new ModelLoader(properties("/nonexistent/model-dir")).load())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("/nonexistent/model-dir")
        .hasMessageContaining("no such file or folder");
  }

  /** DJL's offline flag is a JVM-wide setting: set for this test only, and put back after it. */
  @Test
  void zooModelOfflineFailsClearly() {
    String before = System.getProperty("ai.djl.offline");
    System.setProperty("ai.djl.offline", "true");
    try {
      assertThatThrownBy(() -> new ModelLoader(properties("djl://ai.djl.pytorch/resnet/0.0.1/not_in_cache_model")).load())
          .isInstanceOf(ModelLoadException.class)
          .hasMessageStartingWith("Could not load the model from 'djl://ai.djl.pytorch/resnet/0.0.1/not_in_cache_model'")
          .hasMessageContaining("DJL runs offline (ai.djl.offline=true) and the model is not in the DJL cache");
    } finally {
      if (before == null) {
        System.clearProperty("ai.djl.offline");
      } else {
        System.setProperty("ai.djl.offline", before);
      }
    }
  }

  @Test
  void bundledDemoModelLoadsFromTheClassPath() {
    try (ClassifierModel model = new ModelLoader(StartupModels.DEMO_DIGITS, "cpu", 0).load()) {
      assertThat(model.classes()).isEqualTo(10);
      assertThat(model.labels().get(7).name()).isEqualTo("7");
      assertThat(model.preprocessing().width()).isEqualTo(32);
    }
  }
}
