package io.advlab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The store's layout on disk: whole versions only, metadata, defaults, leftovers cleaned. */
class ModelStoreTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir
  Path dir;

  private Path modelFolder() throws IOException {
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.writeString(source.resolve("net.pt"), "weights");
    Files.writeString(source.resolve("synset.txt"), "a\nb\n");
    return source;
  }

  @Test
  void installedVersionsAreListedWithTheirMetadata() throws IOException {
    ModelStore store = new ModelStore(dir.resolve("store"), JSON);
    assertThat(store.unavailable()).isNull();
    Path installed = store.install(new ModelId("net", 2), modelFolder(), ModelMetadata.registered("/somewhere"));
    assertThat(installed).isEqualTo(dir.resolve("store/net/2").toAbsolutePath());
    assertThat(installed.resolve("net.pt")).hasContent("weights");
    assertThat(store.list()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(new ModelId("net", 2));
      assertThat(s.metadata().source()).isEqualTo("/somewhere");
      assertThat(s.metadata().autoload()).isTrue();
      assertThat(s.metadata().created()).isNotNull();
    });
    store.writeMetadata(new ModelId("net", 2), store.list().get(0).metadata().withAutoload(false));
    assertThat(store.list().get(0).metadata().autoload()).isFalse();
  }

  @Test
  void anExistingVersionIsNeverOverwritten() throws IOException {
    ModelStore store = new ModelStore(dir.resolve("store"), JSON);
    store.install(new ModelId("net", 1), modelFolder(), ModelMetadata.registered("a"));
    assertThatThrownBy(() -> store.install(new ModelId("net", 1), modelFolder(), ModelMetadata.registered("b")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(store.list()).singleElement().satisfies(s -> assertThat(s.metadata().source()).isEqualTo("a"));
  }

  @Test
  void halfWrittenAndForeignFoldersAreNotVersions() throws IOException {
    Path root = dir.resolve("store");
    Files.createDirectories(root.resolve("net/.staging-1234"));
    Files.writeString(root.resolve("net/.staging-1234/net.pt"), "half");
    Files.createDirectories(root.resolve("net/3"));
    Files.createDirectories(root.resolve("net/latest"));
    Files.createDirectories(root.resolve("bad name/1"));
    ModelStore store = new ModelStore(root, JSON);
    assertThat(store.list()).as("no metadata, no version").isEmpty();
    assertThat(root.resolve("net/.staging-1234")).as("leftover of a crash, removed at start").doesNotExist();
  }

  @Test
  void defaultsSurviveAsJson() throws IOException {
    ModelStore store = new ModelStore(dir.resolve("store"), JSON);
    assertThat(store.readDefaults().defaultModel()).isNull();
    store.writeDefaults("digits", Map.of("digits", 2));
    ModelStore again = new ModelStore(dir.resolve("store"), JSON);
    assertThat(again.readDefaults().defaultModel()).isEqualTo("digits");
    assertThat(again.readDefaults().defaultVersions()).containsEntry("digits", 2);
  }

  @Test
  void anUnwritableStoreSaysWhy() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    ModelStore store = new ModelStore(file.resolve("store"), JSON);
    assertThat(store.unavailable()).contains("cannot be used");
    assertThat(store.list()).isEmpty();
  }
}
