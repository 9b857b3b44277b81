package io.advlab.deploy;

import com.google.gson.JsonElement;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates rendered Kubernetes objects against the official schemas, offline, so that a misspelt
 * or mistyped field fails a unit test instead of an install.
 *
 * <p>Built-in kinds are read into the typed models of {@code io.kubernetes:client-java-api},
 * whose generated {@code validateJsonElement} rejects any field the Kubernetes OpenAPI does not
 * define (at every depth) and missing required fields; Gson rejects a wrong JSON type where it
 * cannot convert (an object for a string, {@code "one"} for an integer). Custom resources the
 * models do not cover are checked against the {@code openAPIV3Schema} of their official CRDs,
 * vendored unmodified in {@code src/test/resources/k8s-crds}, with {@code additionalProperties:
 * false} added to every object schema that lists its properties (the API server prunes or, with
 * strict field validation, rejects unknown fields; CEL rules are not evaluated). On top: the
 * API server's rules for names and labels (63-character label keys and values, DNS names).
 */
final class KubernetesManifestValidator {

  private static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/ConfigMap", V1ConfigMap.class),
      Map.entry("v1/Secret", V1Secret.class),
      Map.entry("v1/Service", V1Service.class),
      Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
      Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
      Map.entry("v1/Pod", V1Pod.class),
      Map.entry("apps/v1/Deployment", V1Deployment.class),
      Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
      Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class));

  private static final Map<String, String> CRDS = Map.of(
      "gateway.networking.k8s.io/v1/HTTPRoute", "k8s-crds/gateway.networking.k8s.io_httproutes.yaml",
      "monitoring.coreos.com/v1/ServiceMonitor", "k8s-crds/monitoring.coreos.com_servicemonitors.yaml");

  /** Label value, and the name part of a label key (k8s.io/apimachinery validation.IsQualifiedName). */
  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final Map<String, Schema> CRD_SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

  private KubernetesManifestValidator() {
  }

  /** Every problem found in these objects, each prefixed with the object's kind and name; empty when all are valid. */
  static List<String> problems(List<Map<String, Object>> docs) {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> doc : docs) {
      String type = doc.get("apiVersion") + "/" + doc.get("kind");
      String where = type + " " + name(doc) + ": ";
      for (String problem : problems(type, doc)) {
        problems.add(where + problem);
      }
    }
    return problems;
  }

  private static List<String> problems(String type, Map<String, Object> doc) {
    List<String> problems = new ArrayList<>();
    if (MODELS.containsKey(type)) {
      typed(doc, MODELS.get(type), problems);
    } else if (CRDS.containsKey(type)) {
      typed(doc.get("metadata"), V1ObjectMeta.class, problems);
      JsonNode node = MAPPER.valueToTree(doc);
      crdSchema(type).validate(node).forEach(error -> problems.add(error.toString()));
    } else {
      problems.add("no schema known for " + type + " (add its model or CRD to KubernetesManifestValidator)");
      return problems;
    }
    names(type, doc, problems);
    labels(doc, problems);
    return problems;
  }

  private static void typed(Object object, Class<?> model, List<String> problems) {
    try {
      JsonElement json = JSON.getGson().toJsonTree(object);
      JSON.getGson().fromJson(json, model);
    } catch (RuntimeException e) {
      problems.add(model.getSimpleName() + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static String name(Map<String, Object> doc) {
    Object metadata = doc.get("metadata");
    return metadata instanceof Map<?, ?> m ? String.valueOf(((Map<String, Object>) m).get("name")) : "?";
  }

  private static void names(String type, Map<String, Object> doc, List<String> problems) {
    String name = name(doc);
    boolean service = type.equals("v1/Service");
    Pattern pattern = service ? DNS_LABEL : DNS_SUBDOMAIN;
    int max = service ? 63 : 253;
    if (name.length() > max || !pattern.matcher(name).matches()) {
      problems.add("metadata.name '" + name + "' is not a valid " + (service ? "DNS-1035 label" : "DNS subdomain")
          + " of at most " + max + " characters");
    }
  }

  /** Every map of labels in the object: metadata and pod template labels, selectors, matchLabels. */
  @SuppressWarnings("unchecked")
  private static void labels(Object node, List<String> problems) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if (("labels".equals(key) || "matchLabels".equals(key) || "selector".equals(key) && isFlatMap(value))
            && value instanceof Map<?, ?> labels) {
          ((Map<String, Object>) labels).forEach((k, v) -> label(k, v, problems));
        }
        labels(value, problems);
      });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> labels(item, problems));
    }
  }

  private static boolean isFlatMap(Object value) {
    return value instanceof Map<?, ?> map && map.values().stream().allMatch(v -> v instanceof String);
  }

  private static void label(String key, Object value, List<String> problems) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = key.substring(slash + 1);
    if (name.length() > 63 || !LABEL_NAME.matcher(name).matches()
        || prefix != null && (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches())) {
      problems.add("label key '" + key + "' is not a qualified name (name part of at most 63 characters"
          + (name.length() > 63 ? ", this one has " + name.length() : "") + ")");
    }
    String text = String.valueOf(value);
    if (!(value instanceof String) || text.length() > 63 || !text.isEmpty() && !LABEL_NAME.matcher(text).matches()) {
      problems.add("label '" + key + "' has an invalid value '" + text + "' (a string of at most 63 characters)");
    }
  }

  private static Schema crdSchema(String type) {
    return CRD_SCHEMAS.computeIfAbsent(type, t -> {
      String version = t.substring(t.indexOf('/') + 1, t.lastIndexOf('/'));
      JsonNode schema = null;
      try (InputStream in = KubernetesManifestValidator.class.getClassLoader().getResourceAsStream(CRDS.get(t))) {
        JsonNode crd = YAMLMapper.builder().build().readTree(in);
        for (JsonNode v : crd.path("spec").path("versions")) {
          if (version.equals(v.path("name").asString())) {
            schema = v.path("schema").path("openAPIV3Schema");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (schema == null || schema.isMissingNode()) {
        throw new IllegalStateException("no version " + version + " in " + CRDS.get(t));
      }
      closeObjects(schema);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
    });
  }

  /** additionalProperties: false wherever a schema lists properties and does not keep unknown fields. */
  private static void closeObjects(JsonNode node) {
    if (node instanceof ObjectNode object && object.has("properties") && !object.has("additionalProperties")
        && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      object.put("additionalProperties", false);
    }
    node.forEach(KubernetesManifestValidator::closeObjects);
  }
}
