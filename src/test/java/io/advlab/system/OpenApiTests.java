package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The published OpenAPI document is one generated SDKs can call (one body type per operation,
 * every success typed, errors as the server sends them), and the server holds to the types it
 * declares.
 */
class OpenApiTests extends DigitsServerTest {

  private static final String PROBLEM_REF = "#/components/schemas/Problem";
  private static final byte[] SEVEN = sample("samples/digits/7.png");

  @Test
  void everyOperationHasAnIdOneBodyTypeATypedSuccessAndProblemErrors() {
    JsonNode doc = api().get("/v3/api-docs").json();
    List<String> operationIds = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        String where = op.getKey() + " " + path.getKey();
        JsonNode operation = op.getValue();
        assertThat(operation.hasNonNull("operationId")).as(where).isTrue();
        operationIds.add(operation.get("operationId").asString());
        if (operation.has("requestBody")) {
          assertThat(operation.get("requestBody").get("content").size()).as(where + ": one body type").isEqualTo(1);
        }
        JsonNode responses = operation.get("responses");
        List<String> successes = responses.propertyNames().stream().filter(code -> code.startsWith("2")).toList();
        assertThat(successes).as(where + " declares its success").isNotEmpty();
        for (String code : successes) {
          if (!code.equals("204")) {
            assertThat(responses.get(code).has("content")).as(where + " " + code + " has a body type").isTrue();
          }
        }
        for (Map.Entry<String, JsonNode> response : responses.properties()) {
          if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
            assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asString())
                .as(where + " " + response.getKey()).isEqualTo(PROBLEM_REF);
          }
          if (response.getKey().equals("503") || response.getKey().equals("429")) {
            assertThat(response.getValue().at("/headers/Retry-After/schema/type").asString())
                .as(where + " " + response.getKey() + " declares Retry-After").isEqualTo("integer");
          }
        }
      }
    }
    assertThat(operationIds).contains("classifyImage", "classifyUpload", "attackImage", "attackUpload", "getModel",
        "listLabels", "getLabel", "startEvaluation").doesNotHaveDuplicates();
    assertThat(doc.at("/info/license/identifier").asString()).isEqualTo("Apache-2.0");
    assertThat(doc.toString()).as("no Java type leaks into the document").doesNotContain("SseEmitter", "ProblemDetail");
    for (Map.Entry<String, JsonNode> schema : doc.get("components").get("schemas").properties()) {
      if (schema.getValue().has("enum")) {
        assertThat(names(schema.getValue().get("enum"))).as(schema.getKey()).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void uploadsHaveTheirOwnPathWithEveryFormFieldInTheBodyAndNoQueryParameters() {
    JsonNode doc = api().get("/v3/api-docs").json();
    assertUpload(doc, "/api/v1/classifications/upload", "image", "url", "topK", "model", "defence");
    assertUpload(doc, "/api/v1/attacks/upload", "image", "url", "method", "params", "target", "deadlineMs", "model",
        "defence");
    for (String json : List.of("/api/v1/classifications", "/api/v1/attacks")) {
      JsonNode post = doc.at("/paths/" + json.replace("/", "~1") + "/post");
      assertThat(post.get("requestBody").get("content").propertyNames()).containsExactly("application/json");
      assertThat(post.get("requestBody").get("required").asBoolean()).isTrue();
    }
    JsonNode attackUpload = schema(doc, "AttackUpload");
    assertThat(attackUpload.at("/properties/image/format").asString()).isEqualTo("binary");
    assertThat(attackUpload.at("/properties/method/$ref").asString()).isEqualTo("#/components/schemas/AttackMethod");
  }

  @Test
  void enumsAreSharedImagesAreBase64BytesAndGuaranteedFieldsRequired() {
    JsonNode doc = api().get("/v3/api-docs").json();
    JsonNode catalogue = api().get("/api/v1/attacks").json();
    List<String> methods = new ArrayList<>();
    catalogue.get("methods").forEach(m -> methods.add(m.get("name").asString()));
    List<String> enumValues = new ArrayList<>();
    schema(doc, "AttackMethod").get("enum").forEach(v -> enumValues.add(v.asString()));
    assertThat(enumValues).isEqualTo(methods);
    for (String[] field : new String[][] {{"AttackRequest", "method"}, {"AttackResponse", "method"},
        {"MethodSpec", "name"}, {"EvaluationAttack", "method"}, {"EvaluationResult", "method"}}) {
      assertThat(schema(doc, field[0]).at("/properties/" + field[1] + "/$ref").asString()).as(String.join(".", field))
          .isEqualTo("#/components/schemas/AttackMethod");
    }
    for (String[] field : new String[][] {{"ClassificationRequest", "imageBase64"}, {"AttackRequest", "imageBase64"},
        {"AttackResponse", "adversarialImage"}, {"AttackResponse", "perturbationImage"}}) {
      assertThat(schema(doc, field[0]).at("/properties/" + field[1] + "/format").asString()).as(String.join(".", field))
          .isEqualTo("byte");
    }
    assertThat(names(schema(doc, "AttackResponse").get("required"))).contains("model", "success", "original",
        "adversarial", "adversarialImage", "quantizedSuccess", "timingsMs");
    assertThat(names(schema(doc, "ClassificationResponse").get("required"))).contains("model", "predictions");
    assertThat(names(schema(doc, "Prediction").get("required"))).contains("index", "label", "probability");
    assertThat(names(schema(doc, "AttackRequest").get("required"))).containsExactly("method");
    JsonNode defaultValue = schema(doc, "ParamSpec").at("/properties/defaultValue/anyOf");
    assertThat(defaultValue.size()).as("a typed default").isEqualTo(3);
    for (JsonNode method : catalogue.get("methods")) {
      for (JsonNode param : method.get("params")) {
        if (param.get("type").asString().equals("integer")) {
          for (String bound : List.of("min", "max")) {
            if (param.has(bound)) {
              assertThat(param.get(bound).isIntegralNumber()).as(param + ": integer bounds are integers").isTrue();
            }
          }
        }
      }
    }
  }

  @Test
  void theProblemSchemaIsWhatTheServerSends() {
    JsonNode problem = schema(api().get("/v3/api-docs").json(), "Problem");
    Set<String> declared = new HashSet<>(problem.get("properties").propertyNames());
    assertThat(problem.at("/properties/instance/format").isMissingNode()).as("instance is a relative path").isTrue();
    String seven = Base64.getEncoder().encodeToString(SEVEN);
    List<HttpApi.Response> problems = List.of(
        api().postJson("/api/v1/classifications", Map.of("imageBase64", seven, "topK", 0)),
        api().postJson("/api/v1/attacks", Map.of("imageBase64", seven, "method", "nope")),
        api().postJson("/api/v1/classifications", Map.of("imageBase64", seven, "model", "missing")),
        api().get("/api/v1/labels/99"),
        api().get("/api/v1/nothing-here"),
        api().postJson("/api/v1/classifications", ""));
    for (HttpApi.Response response : problems) {
      assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
      JsonNode body = response.json();
      assertThat(declared).as(response.body()).containsAll(body.propertyNames());
      assertThat(body.propertyNames()).as(response.body()).containsAll(names(problem.get("required")));
      assertThat(body.get("detail").asString()).as("no Java names").doesNotContain("io.advlab", "java.", "()");
    }
  }

  @Test
  void declaredTypesAreEnforcedOnInput() {
    String seven = Base64.getEncoder().encodeToString(SEVEN);
    HttpApi.Response fraction = api().postJson("/api/v1/attacks",
        "{\"imageBase64\": \"" + seven + "\", \"method\": \"fgsm\", \"target\": 3.5}");
    assertThat(fraction.status()).as(fraction.body()).isEqualTo(400);
    assertThat(fraction.json().get("field").asString()).isEqualTo("target");
    assertThat(fraction.json().get("detail").asString()).isEqualTo("'target' must be an integer.");
    HttpApi.Response formField = api().postImage("/api/v1/classifications/upload", SEVEN, "7.png",
        Map.of("topK", "five"));
    assertThat(formField.status()).as(formField.body()).isEqualTo(400);
    assertThat(formField.json().get("field").asString()).isEqualTo("topK");
    assertThat(formField.json().get("detail").asString()).isEqualTo("'topK' must be an integer (got five).");
  }

  @Test
  void uploadsAreServedAtTheirOwnPathAndStillAtTheJsonPath() {
    for (String path : List.of("/api/v1/classifications/upload", "/api/v1/classifications")) {
      HttpApi.Response response = api().postImage(path, SEVEN, "7.png", Map.of("topK", "2"));
      assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
      assertThat(response.json().get("predictions")).hasSize(2);
      assertThat(response.json().at("/predictions/0/label").asString()).isEqualTo("7");
    }
  }

  @Test
  void swaggerUiIsServed() {
    assertThat(api().get("/swagger-ui/index.html").status()).isEqualTo(200);
  }

  private static void assertUpload(JsonNode doc, String path, String... fields) {
    JsonNode post = doc.at("/paths/" + path.replace("/", "~1") + "/post");
    assertThat(post.isMissingNode()).as(path).isFalse();
    assertThat(post.has("parameters")).as(path + " has no query parameters").isFalse();
    JsonNode content = post.get("requestBody").get("content");
    assertThat(content.propertyNames()).containsExactly("multipart/form-data");
    String ref = content.get("multipart/form-data").get("schema").get("$ref").asString();
    JsonNode form = schema(doc, ref.substring(ref.lastIndexOf('/') + 1));
    assertThat(form.get("properties").propertyNames()).containsExactlyInAnyOrder(fields);
  }

  private static byte[] sample(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode schema(JsonNode doc, String name) {
    JsonNode schema = doc.at("/components/schemas/" + name);
    assertThat(schema.isMissingNode()).as("schema " + name).isFalse();
    return schema;
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> names.add(n.asString()));
    }
    return names;
  }
}
