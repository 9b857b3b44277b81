package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.problem.ApiException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is served at start, model names derived from URLs, and the {@code model} field's syntax. */
class StartupModelsTests {

  private static ModelProperties single(String url, String name) {
    return new ModelProperties(url, name, "auto", 0, 0, 8, Duration.ofMillis(5), 64, Duration.ofSeconds(30));
  }

  @Test
  void noSettingsServeTheZooResnetAndTheBundledDemoNeitherRequired() {
    StartupModels startup = StartupModels.resolve(new ModelsProperties(List.of(), ""), single("", ""));
    assertThat(startup.models()).extracting(ModelsProperties.Entry::name).containsExactly("resnet18", "digits");
    assertThat(startup.models()).extracting(ModelsProperties.Entry::url)
        .containsExactly(StartupModels.ZOO_RESNET18, StartupModels.DEMO_DIGITS);
    assertThat(startup.models()).noneMatch(ModelsProperties.Entry::required);
    assertThat(startup.defaultModel()).isEqualTo("resnet18");
  }

  @Test
  void aModelUrlAloneServesThatOneModelAsRequired() {
    StartupModels startup = StartupModels.resolve(new ModelsProperties(List.of(), ""),
        single("../shared/models/resnet18-untrained/", ""));
    assertThat(startup.models()).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("resnet18-untrained");
      assertThat(e.required()).isTrue();
      assertThat(e.version()).isEqualTo(1);
    });
    assertThat(StartupModels.resolve(new ModelsProperties(List.of(), ""), single("/m/x", "mine")).defaultModel())
        .isEqualTo("mine");
  }

  @Test
  void aListWinsOverTheSingleUrlAndNamesTheDefault() {
    var list = List.of(new ModelsProperties.Entry("a", "/a", 1, "", false),
        new ModelsProperties.Entry("b", "/b", 3, "cpu", true));
    StartupModels startup = StartupModels.resolve(new ModelsProperties(list, "b"), single("/ignored", ""));
    assertThat(startup.models()).isEqualTo(list);
    assertThat(startup.defaultModel()).isEqualTo("b");
    assertThat(StartupModels.resolve(new ModelsProperties(list, ""), single("", "")).defaultModel()).isEqualTo("a");
  }

  @Test
  void namesComeFromTheLastPathSegment() {
    assertThat(StartupModels.nameOf(StartupModels.ZOO_RESNET18)).isEqualTo("resnet18");
    assertThat(StartupModels.nameOf("https://example.org/models/my_net.tar.gz")).isEqualTo("my_net");
    assertThat(StartupModels.nameOf("file:/srv/models/digits/")).isEqualTo("digits");
    assertThat(StartupModels.nameOf("/models/baked")).isEqualTo("baked");
    assertThat(StartupModels.nameOf("weird name!")).isEqualTo("weird-name-");
    assertThat(StartupModels.nameOf("/")).isEqualTo("model");
  }

  @Test
  void aLocalFolderIsNamedAsItsServingPropertiesSay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path baked = java.nio.file.Files.createDirectories(dir.resolve("baked"));
    assertThat(StartupModels.nameOfModelAt(baked.toString())).as("no serving.properties").isEqualTo("baked");
    java.nio.file.Files.writeString(baked.resolve("serving.properties"), "option.modelName=digits\nwidth=32\n");
    assertThat(StartupModels.nameOfModelAt(baked.toString())).isEqualTo("digits");
    assertThat(StartupModels.nameOfModelAt(baked.toUri().toString())).isEqualTo("digits");
    assertThat(StartupModels.resolve(new ModelsProperties(List.of(), ""), single(baked.toString(), ""))
        .defaultModel()).isEqualTo("digits");
    java.nio.file.Files.writeString(baked.resolve("serving.properties"), "option.modelName=../evil\n");
    assertThat(StartupModels.nameOfModelAt(baked.toString())).as("not a safe name").isEqualTo("baked");
  }

  @Test
  void modelReferencesParseNameAndOptionalVersion() {
    assertThat(ModelRef.parse(null, "model")).isEqualTo(new ModelRef(null, null));
    assertThat(ModelRef.parse("  ", "model")).isEqualTo(new ModelRef(null, null));
    assertThat(ModelRef.parse("digits", "model")).isEqualTo(new ModelRef("digits", null));
    assertThat(ModelRef.parse("digits:2", "model")).isEqualTo(new ModelRef("digits", 2));
    for (String bad : List.of("digits:0", "digits:x", "digits:", ":2", "a/b", "../x", "-x")) {
      assertThatThrownBy(() -> ModelRef.parse(bad, "model")).as(bad)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.properties()).containsEntry("field", "model"));
    }
  }

  @Test
  void modelIdsRejectUnsafeNamesAndVersions() {
    assertThat(new ModelId("digits", 2)).hasToString("digits:2");
    assertThatThrownBy(() -> new ModelId("../etc", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModelId("digits", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
