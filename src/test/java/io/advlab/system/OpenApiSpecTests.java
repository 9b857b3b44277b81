package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.advlab.support.DigitsServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.ConsoleRender;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docs/openapi.json}, the document SDKs are generated from (in this build too), is the
 * service's live one: a change that breaks clients of the committed document fails here with what
 * breaks (openapi-diff); a compatible change re-exports the file and fails once, so that the new
 * document is reviewed and committed. {@code -Dadvlab.openapi.accept-breaking=true} exports a
 * breaking change on purpose (say so in the commit: every client must be regenerated).
 */
class OpenApiSpecTests extends DigitsServerTest {

  static final Path COMMITTED = Path.of("docs/openapi.json");
  private static final Path LIVE_COPY = Path.of("target/openapi/openapi.json");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void theCommittedDocumentIsTheLiveOne() throws IOException {
    String live = pretty(api().get("/v3/api-docs").body());
    Files.createDirectories(LIVE_COPY.getParent());
    Files.writeString(LIVE_COPY, live);
    if (!Files.exists(COMMITTED)) {
      Files.writeString(COMMITTED, live);
      fail(COMMITTED + " did not exist; it has been exported: review and commit it.");
    }
    String committed = Files.readString(COMMITTED);
    if (JSON.readTree(committed).equals(JSON.readTree(live))) {
      return;
    }
    ChangedOpenApi diff = OpenApiCompare.fromContents(committed, live);
    boolean acceptBreaking = Boolean.getBoolean("advlab.openapi.accept-breaking");
    if (diff.isIncompatible() && !acceptBreaking) {
      fail("The API changed in a way that breaks clients generated from " + COMMITTED + " (the live document is in "
          + LIVE_COPY + "):\n" + render(diff) + "\nKeep the old shape (add, do not change or remove), or, if the break"
          + " is deliberate, export it with ./mvnw test -Dtest=OpenApiSpecTests -Dadvlab.openapi.accept-breaking=true"
          + " and say so in the commit.");
    }
    Files.writeString(COMMITTED, live);
    fail("The API changed " + (diff.isIncompatible() ? "incompatibly (accepted)" : "compatibly") + ": " + COMMITTED
        + " has been re-exported from the live document; review it (git diff " + COMMITTED + ") and commit it."
        + "\n" + render(diff));
  }

  @Test
  void removingAnOperationOrRequiringARequestFieldBreaksClientsAndAddingAResponseFieldDoesNot() throws IOException {
    String committed = Files.readString(COMMITTED);
    ObjectNode withoutLabels = (ObjectNode) JSON.readTree(committed);
    ((ObjectNode) withoutLabels.get("paths")).remove("/api/v1/labels/{index}");
    assertThat(OpenApiCompare.fromContents(committed, withoutLabels.toString()).isIncompatible()).isTrue();

    ObjectNode modelRequired = (ObjectNode) JSON.readTree(committed);
    ((ObjectNode) modelRequired.at("/components/schemas/ClassificationRequest")).putArray("required").add("model");
    assertThat(OpenApiCompare.fromContents(committed, modelRequired.toString()).isIncompatible()).isTrue();

    ObjectNode newField = (ObjectNode) JSON.readTree(committed);
    ((ObjectNode) newField.at("/components/schemas/ClassificationResponse/properties")).putObject("note")
        .put("type", "string");
    ChangedOpenApi added = OpenApiCompare.fromContents(committed, newField.toString());
    assertThat(added.isIncompatible()).isFalse();
    assertThat(added.isDifferent()).isTrue();
  }

  private static String render(ChangedOpenApi diff) {
    return new ConsoleRender().render(diff);
  }

  /** The document as committed: two-space indented JSON with a final newline, keys in the server's order. */
  static String pretty(String json) {
    JsonNode tree = JSON.readTree(json);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
  }
}
