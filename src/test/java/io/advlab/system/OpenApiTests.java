package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The published OpenAPI document is complete enough to generate a pleasant SDK from. */
class OpenApiTests extends DigitsServerTest {

  @Test
  void everyOperationHasAnIdAndOperationsWithInputDocumentBadRequest() {
    JsonNode doc = api().get("/v3/api-docs").json();

    List<String> operationIds = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      if (!path.getKey().startsWith("/api/")) {
        continue;
      }
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        JsonNode operation = op.getValue();
        assertThat(operation.hasNonNull("operationId")).as(op.getKey() + " " + path.getKey()).isTrue();
        operationIds.add(operation.get("operationId").asString());
        if (operation.has("requestBody") || operation.has("parameters")) {
          assertThat(operation.get("responses").has("400")).as(op.getKey() + " " + path.getKey() + " documents 400")
              .isTrue();
        }
      }
    }
    // The multipart and JSON handlers share one path and method, so they form one operation
    // "classify" with two request content types.
    assertThat(operationIds).contains("classify", "getModel", "listLabels", "getLabel").doesNotHaveDuplicates();
    JsonNode classify = doc.get("paths").get("/api/v1/classifications").get("post");
    assertThat(classify.get("requestBody").get("content").has("multipart/form-data")).isTrue();
    assertThat(classify.get("requestBody").get("content").has("application/json")).isTrue();
    assertThat(doc.get("components").get("schemas").has("ClassificationResponse")).isTrue();
  }

  @Test
  void swaggerUiIsServed() {
    assertThat(api().get("/swagger-ui/index.html").status()).isEqualTo(200);
  }
}
