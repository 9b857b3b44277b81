package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders {@code helm/advlab} with the Helm library that helm-java embeds (no cluster,
 * no network) and asserts on the manifests a cluster would receive.
 */
@SuppressWarnings("unchecked")
class HelmChartTests {

  private static final Path CHART = HelmCharts.CHART;
  private static final Path GPU_VALUES = HelmCharts.CI.resolve("gpu-values.yaml");
  private static final Path STORE_VALUES = HelmCharts.CI.resolve("store-values.yaml");
  private static final Path FULL_VALUES = HelmCharts.CI.resolve("full-values.yaml");
  private static final String STORE_DIR = "/var/lib/advlab/models";
  private static final String NAME = "demo-advlab";
  private static final String POSTGRES = "jdbc:postgresql://postgres:5432/advlab";

  @TempDir
  static Path hooksDir;

  private static Path chartWithHooks;

  @BeforeAll
  static void copyChartWithHooks() throws IOException {
    chartWithHooks = HelmCharts.withHooksAsManifests(hooksDir);
  }

  @Test
  void lintPassesStrictWithDefaultValues() {
    LintResult result = new Helm(CHART).lint().strict().call();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void lintPassesStrictWithGpuValues(@TempDir Path tmp) throws IOException {
    LintResult result = lintWith(GPU_VALUES, tmp);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void lintPassesStrictWithStoreValues(@TempDir Path tmp) throws IOException {
    LintResult result = lintWith(STORE_VALUES, tmp);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void lintPassesStrictWithFullValues(@TempDir Path tmp) throws IOException {
    LintResult result = lintWith(FULL_VALUES, tmp);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderTheCoreObjectsAndNoOptionalOnes() {
    List<Map<String, Object>> docs = render(Map.of());

    assertThat(kinds(docs)).containsExactlyInAnyOrder(
        "ServiceAccount", "ConfigMap", "Service", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy",
        "PersistentVolumeClaim");
  }

  @Test
  void probesUseTheActuatorGroupsAndStartupCoversModelLoad() {
    Map<String, Object> container = container(render(Map.of()));

    assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
    assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
    assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
    int startupBudget = (Integer) at(container, "startupProbe", "periodSeconds")
        * (Integer) at(container, "startupProbe", "failureThreshold");
    assertThat(startupBudget).as("seconds the startup probe allows for engine + model load").isGreaterThanOrEqualTo(180);
  }

  @Test
  void podAndContainerRunNonRootReadOnlyWithoutCapabilities() {
    List<Map<String, Object>> docs = render(Map.of());
    Map<String, Object> pod = podSpec(docs);
    Map<String, Object> container = container(docs);

    assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
    assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(at(container, "securityContext", "runAsUser")).isEqualTo(10001);
    assertThat((List<Object>) at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
    assertThat(mountPaths(container)).contains("/tmp", "/var/cache/advlab");
    assertThat(volumeNamed(pod, "tmp")).containsKey("emptyDir");
  }

  @Test
  void serviceAccountTokenIsNotMounted() {
    List<Map<String, Object>> docs = render(Map.of());

    assertThat(one(docs, "ServiceAccount").get("automountServiceAccountToken")).isEqualTo(false);
    assertThat(podSpec(docs).get("automountServiceAccountToken")).isEqualTo(false);
  }

  @Test
  void noGpuIsRequestedByDefault() {
    List<Map<String, Object>> docs = render(Map.of());
    Map<String, Object> container = container(docs);

    assertThat(limits(container)).doesNotContainKey("nvidia.com/gpu").containsKey("memory");
    assertThat(podSpec(docs)).doesNotContainKeys("tolerations", "nodeSelector");
    assertThat(container.get("image")).isEqualTo("advlab:cpu");
    assertThat(configData(docs)).containsEntry("ADVLAB_MODEL_DEVICE", "auto");
  }

  @Test
  void gpuValuesRequestAGpuOnAGpuNodeWithTheCudaImage() {
    List<Map<String, Object>> docs = render(Map.of(), GPU_VALUES);
    Map<String, Object> pod = podSpec(docs);
    Map<String, Object> container = container(docs);

    assertThat(limits(container)).containsEntry("nvidia.com/gpu", "1").containsEntry("memory", "8Gi");
    assertThat((List<Map<String, Object>>) pod.get("tolerations"))
        .anySatisfy(t -> assertThat(t).containsEntry("key", "nvidia.com/gpu").containsEntry("effect", "NoSchedule"));
    assertThat(pod).as("no cluster-specific GPU node label by default").doesNotContainKey("nodeSelector");
    assertThat(container.get("image")).isEqualTo("advlab:cuda");
    assertThat(configData(docs)).containsEntry("ADVLAB_MODEL_DEVICE", "gpu").containsEntry("ADVLAB_MODEL_MAXBATCHSIZE", "32");
  }

  @Test
  void gpuSchedulingKeepsTheUsersOwnNodeSelectorAndTolerations() {
    List<Map<String, Object>> docs = render(Map.of("nodeSelector.pool", "inference",
        "tolerations[0].key", "dedicated", "tolerations[0].operator", "Exists",
        "gpu.nodeSelector.nvidia\\.com/gpu\\.product", "A100"), GPU_VALUES);
    Map<String, Object> pod = podSpec(docs);

    assertThat((Map<String, Object>) pod.get("nodeSelector"))
        .containsEntry("pool", "inference").containsEntry("nvidia.com/gpu.product", "A100");
    assertThat(((List<Map<String, Object>>) pod.get("tolerations")).stream().map(t -> t.get("key")))
        .containsExactly("dedicated", "nvidia.com/gpu");
  }

  @Test
  void serviceMonitorOnlyWhenEnabledAndItScrapesThePrometheusEndpoint() {
    assertThat(kinds(render(Map.of()))).doesNotContain("ServiceMonitor");

    List<Map<String, Object>> docs = render(Map.of("metrics.serviceMonitor.enabled", true,
        "metrics.serviceMonitor.labels.release", "kube-prometheus"));
    Map<String, Object> monitor = one(docs, "ServiceMonitor");

    assertThat((Map<String, Object>) at(monitor, "metadata", "labels")).containsEntry("release", "kube-prometheus");
    Map<String, Object> endpoint = ((List<Map<String, Object>>) at(monitor, "spec", "endpoints")).get(0);
    assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
    Map<String, Object> selector = (Map<String, Object>) at(monitor, "spec", "selector", "matchLabels");
    assertThat(servicesSelectedBy(docs, selector)).as("Services the ServiceMonitor selects")
        .containsExactly(NAME + "-management");
    assertThat(servicePortNames(service(docs, NAME + "-management"))).contains("management");
  }

  @Test
  void httpRouteOnlyWhenEnabledAndItTargetsTheService() {
    assertThat(kinds(render(Map.of()))).doesNotContain("HTTPRoute");

    List<Map<String, Object>> docs = render(Map.of("httpRoute.enabled", true, "httpRoute.hostnames[0]", "advlab.example.com"));

    Map<String, Object> route = one(docs, "HTTPRoute");
    assertThat(route.get("apiVersion")).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat((List<Object>) at(route, "spec", "hostnames")).containsExactly("advlab.example.com");
    List<Map<String, Object>> rules = (List<Map<String, Object>>) at(route, "spec", "rules");
    assertThat((List<Map<String, Object>>) rules.get(0).get("backendRefs"))
        .containsExactly(Map.of("name", NAME, "port", 80));
    assertThat(kinds(docs)).doesNotContain("Ingress");
  }

  @Test
  void ingressOnlyWhenEnabled() {
    List<Map<String, Object>> docs = render(Map.of("ingress.enabled", true, "ingress.className", "nginx"));

    Map<String, Object> ingress = one(docs, "Ingress");
    assertThat(at(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
    assertThat(kinds(docs)).doesNotContain("HTTPRoute");
  }

  @Test
  void autoscalingReplacesTheFixedReplicaCount() {
    List<Map<String, Object>> docs = render(Map.of("autoscaling.enabled", true, "autoscaling.maxReplicas", 4,
        "store.persistence.accessModes[0]", "ReadWriteMany", "database.url", POSTGRES));

    assertThat(at(one(docs, "HorizontalPodAutoscaler"), "spec", "maxReplicas")).isEqualTo(4);
    assertThat((Map<String, Object>) one(docs, "Deployment").get("spec")).doesNotContainKey("replicas");
  }

  @Test
  void pdbAndNetworkPolicyFollowTheirSwitches() {
    List<Map<String, Object>> defaults = render(Map.of());
    assertThat(at(one(defaults, "PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
    assertThat((List<Object>) at(one(defaults, "NetworkPolicy"), "spec", "policyTypes")).containsExactly("Ingress", "Egress");

    List<Map<String, Object>> off = render(Map.of("pdb.create", false, "networkPolicy.enabled", false));

    assertThat(kinds(off)).doesNotContain("PodDisruptionBudget", "NetworkPolicy");
  }

  @Test
  void restrictedNetworkPolicyAdmitsOnlyLabelledClientsAndDns() {
    List<Map<String, Object>> docs = render(Map.of("networkPolicy.allowExternal", false,
        "networkPolicy.allowExternalEgress", false));

    Map<String, Object> spec = (Map<String, Object>) one(docs, "NetworkPolicy").get("spec");
    Map<String, Object> ingress = ((List<Map<String, Object>>) spec.get("ingress")).get(0);
    assertThat(at(((List<Map<String, Object>>) ingress.get("from")).get(0), "podSelector", "matchLabels"))
        .isEqualTo(Map.of(NAME + "-client", "true"));
    assertThat(new Yaml().dump(spec.get("egress"))).contains("port: 53").doesNotContain("{}");
  }

  @Test
  void modelFromAnExistingClaimIsMountedReadOnlyAndConfigured() {
    List<Map<String, Object>> docs = render(Map.of("model.persistence.existingClaim", "models", "model.persistence.subPath", "digits"));

    assertThat(at(volumeNamed(podSpec(docs), "model"), "persistentVolumeClaim", "claimName")).isEqualTo("models");
    Map<String, Object> mount = ((List<Map<String, Object>>) container(docs).get("volumeMounts")).stream()
        .filter(m -> "model".equals(m.get("name"))).findFirst().orElseThrow();
    assertThat(mount).containsEntry("readOnly", true).containsEntry("subPath", "digits").containsEntry("mountPath", "/models/model");
    assertThat(configData(docs)).containsEntry("ADVLAB_MODEL_URL", "/models/model");
  }

  @Test
  void dataSetsFromAnExistingClaimAreMountedReadOnlyAndUploadsGoToTheStore() {
    List<Map<String, Object>> docs = render(Map.of("datasets.persistence.existingClaim", "images",
        "datasets.persistence.subPath", "imagefolders"));

    assertThat(at(volumeNamed(podSpec(docs), "datasets"), "persistentVolumeClaim", "claimName")).isEqualTo("images");
    assertThat(mountNamed(container(docs), "datasets")).containsEntry("readOnly", true)
        .containsEntry("subPath", "imagefolders").containsEntry("mountPath", "/var/lib/advlab/datasets");
    assertThat(configData(docs)).containsEntry("ADVLAB_DATASETS_DIR", "/var/lib/advlab/datasets")
        .containsEntry("ADVLAB_DATASETS_UPLOAD_DIR", STORE_DIR + "/.datasets");
  }

  @Test
  void withoutAClaimDataSetsAreTheUploadsInTheStoreOrNone() {
    assertThat(configData(render(Map.of()))).containsEntry("ADVLAB_DATASETS_DIR", STORE_DIR + "/.datasets")
        .containsEntry("ADVLAB_DATASETS_UPLOAD_DIR", STORE_DIR + "/.datasets");
    assertThat(mountPaths(container(render(Map.of())))).doesNotContain("/var/lib/advlab/datasets");
    assertThat(configData(render(Map.of("datasets.uploads", false)))).doesNotContainKeys("ADVLAB_DATASETS_DIR",
        "ADVLAB_DATASETS_UPLOAD_DIR");
    assertThat(configData(render(Map.of("store.enabled", false, "database.url", POSTGRES))))
        .doesNotContainKeys("ADVLAB_DATASETS_DIR", "ADVLAB_DATASETS_UPLOAD_DIR");
  }

  @Test
  void trainingRunsOnEveryPodUnlessItIsHandedToWorkers() {
    assertThat(configData(render(Map.of()))).containsEntry("ADVLAB_TRAINING_ENABLED", "true")
        .containsEntry("JOBRUNR_BACKGROUND_JOB_SERVER_ENABLED", "true");
    assertThat(configData(render(Map.of("training.enabled", false, "training.backgroundJobs", false))))
        .containsEntry("ADVLAB_TRAINING_ENABLED", "false").containsEntry("JOBRUNR_BACKGROUND_JOB_SERVER_ENABLED", "false");
  }

  @Test
  void lintPassesStrictWithWorkerValues(@TempDir Path tmp) throws IOException {
    LintResult result = lintWith(HelmCharts.CI.resolve("worker-values.yaml"), tmp);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void modelDownloadRunsAHardenedInitContainer() {
    List<Map<String, Object>> docs = render(Map.of("model.download.enabled", true,
        "model.download.url", "https://models.example.com/digits.tar.gz"));

    Map<String, Object> init = ((List<Map<String, Object>>) podSpec(docs).get("initContainers")).get(0);
    assertThat(at(init, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(new Yaml().dump(init.get("env"))).contains("https://models.example.com/digits.tar.gz");
    assertThat(volumeNamed(podSpec(docs), "model")).containsKey("emptyDir");
    assertThat(configData(docs)).containsEntry("ADVLAB_MODEL_URL", "/models/model");
  }

  @Test
  void storeIsAClaimKeptOnUninstallAndMountedAsTheStoreDir() {
    List<Map<String, Object>> docs = render(Map.of());

    Map<String, Object> claim = one(docs, "PersistentVolumeClaim");
    assertThat(at(claim, "metadata", "name")).isEqualTo(NAME + "-store");
    assertThat((Map<String, Object>) at(claim, "metadata", "annotations")).containsEntry("helm.sh/resource-policy", "keep");
    assertThat((List<Object>) at(claim, "spec", "accessModes")).containsExactly("ReadWriteOnce");
    assertThat(at(claim, "spec", "resources", "requests", "storage")).isEqualTo("5Gi");
    assertThat((Map<String, Object>) claim.get("spec")).doesNotContainKey("storageClassName");
    assertThat(at(volumeNamed(podSpec(docs), "store"), "persistentVolumeClaim", "claimName")).isEqualTo(NAME + "-store");
    assertThat(mountNamed(container(docs), "store")).containsEntry("mountPath", STORE_DIR).doesNotContainKey("readOnly");
    assertThat(configData(docs)).containsEntry("ADVLAB_STORE_DIR", STORE_DIR);
  }

  @Test
  void storeClaimTakesSizeClassAndAccessModes() {
    Map<String, Object> claim = one(render(Map.of("store.persistence.size", "20Gi",
        "store.persistence.storageClass", "fast", "store.persistence.accessModes[0]", "ReadWriteMany")), "PersistentVolumeClaim");

    assertThat(at(claim, "spec", "resources", "requests", "storage")).isEqualTo("20Gi");
    assertThat(at(claim, "spec", "storageClassName")).isEqualTo("fast");
    assertThat((List<Object>) at(claim, "spec", "accessModes")).containsExactly("ReadWriteMany");
  }

  @Test
  void storeWithoutPersistenceIsAnEmptyDir() {
    List<Map<String, Object>> docs = render(Map.of("store.persistence.enabled", false));

    assertThat(kinds(docs)).doesNotContain("PersistentVolumeClaim");
    assertThat(at(volumeNamed(podSpec(docs), "store"), "emptyDir", "sizeLimit")).isEqualTo("5Gi");
    assertThat(mountNamed(container(docs), "store")).containsEntry("mountPath", STORE_DIR);
    assertThat(configData(docs)).containsEntry("ADVLAB_STORE_DIR", STORE_DIR);
  }

  @Test
  void storeOnAnExistingClaimRendersNoClaim() {
    List<Map<String, Object>> docs = render(Map.of("store.persistence.existingClaim", "shared-models"));

    assertThat(kinds(docs)).doesNotContain("PersistentVolumeClaim");
    assertThat(at(volumeNamed(podSpec(docs), "store"), "persistentVolumeClaim", "claimName")).isEqualTo("shared-models");
    assertThat(mountNamed(container(docs), "store")).containsEntry("mountPath", STORE_DIR);
  }

  @Test
  void storeDisabledMountsNothing() {
    List<Map<String, Object>> docs = render(Map.of("store.enabled", false, "database.url", POSTGRES));

    assertThat(kinds(docs)).doesNotContain("PersistentVolumeClaim");
    assertThat(mountPaths(container(docs))).doesNotContain(STORE_DIR);
    assertThat(configData(docs)).doesNotContainKey("ADVLAB_STORE_DIR");
  }

  @Test
  void severalPodsOnAReadWriteOnceStoreClaimFailWithTheFix() {
    assertThatThrownBy(() -> render(Map.of("replicaCount", 2)))
        .hasMessageContaining("store: replicaCount=2 needs a model store every pod can mount")
        .hasMessageContaining("store.persistence.accessModes={ReadWriteMany}")
        .hasMessageContaining("store.persistence.existingClaim");
    assertThatThrownBy(() -> render(Map.of("autoscaling.enabled", true)))
        .hasMessageContaining("store: autoscaling (up to 6 pods) needs a model store every pod can mount");

    assertThat(kinds(render(Map.of("replicaCount", 2, "store.persistence.accessModes[0]", "ReadWriteMany",
        "database.url", POSTGRES)))).contains("PersistentVolumeClaim");
    assertThat(kinds(render(Map.of("replicaCount", 2, "store.persistence.existingClaim", "rwx-models",
        "database.url", POSTGRES)))).doesNotContain("PersistentVolumeClaim");
    assertThat(kinds(render(Map.of("replicaCount", 2, "store.persistence.enabled", false, "database.url", POSTGRES))))
        .contains("Deployment");
  }

  @Test
  void noAdminTokenByDefault() {
    List<Map<String, Object>> docs = render(Map.of());

    assertThat(kinds(docs)).doesNotContain("Secret");
    assertThat(envNamed(container(docs), "ADVLAB_ADMIN_TOKEN")).isNull();
    assertThat(configData(docs)).doesNotContainKeys("ADVLAB_ADMIN_TOKEN",
        "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "ADVLAB_SECURITY_ADMINSCOPE");
  }

  @Test
  void adminTokenFromAnExistingSecret() {
    List<Map<String, Object>> docs = render(Map.of("admin.existingSecret", "advlab-admin"));

    assertThat(kinds(docs)).doesNotContain("Secret");
    assertThat(at(envNamed(container(docs), "ADVLAB_ADMIN_TOKEN"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", "advlab-admin", "key", "admin-token"));
    assertThat(at(envNamed(container(render(Map.of("admin.existingSecret", "advlab-admin",
        "admin.existingSecretKey", "token"))), "ADVLAB_ADMIN_TOKEN"), "valueFrom", "secretKeyRef", "key")).isEqualTo("token");
  }

  @Test
  void adminTokenValueGoesIntoASecretTheChartMakes() {
    String token = "0123456789abcdef-token";
    List<Map<String, Object>> docs = render(Map.of("admin.token", token, "extraEnv[0].name", "EXTRA", "extraEnv[0].value", "kept"));

    Map<String, Object> secret = one(docs, "Secret");
    assertThat(at(secret, "metadata", "name")).isEqualTo(NAME + "-admin");
    assertThat((Map<String, Object>) secret.get("data"))
        .containsExactly(Map.entry("admin-token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))));
    Map<String, Object> container = container(docs);
    assertThat(at(envNamed(container, "ADVLAB_ADMIN_TOKEN"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", NAME + "-admin", "key", "admin-token"));
    assertThat(envNamed(container, "EXTRA")).containsEntry("value", "kept");
    assertThat((Map<String, Object>) at(one(docs, "Deployment"), "spec", "template", "metadata", "annotations"))
        .containsKey("checksum/secret");
    assertThat(new Yaml().dump(one(docs, "Deployment")) + new Yaml().dump(one(docs, "ConfigMap"))).doesNotContain(token);
  }

  @Test
  void anExistingSecretWinsOverATokenValue() {
    List<Map<String, Object>> docs = render(Map.of("admin.token", "ignored", "admin.existingSecret", "advlab-admin"));

    assertThat(kinds(docs)).doesNotContain("Secret");
    assertThat(at(envNamed(container(docs), "ADVLAB_ADMIN_TOKEN"), "valueFrom", "secretKeyRef", "name")).isEqualTo("advlab-admin");
  }

  @Test
  void schemaRejectsAnAdminTokenTheServiceWouldRefuse() {
    assertThatThrownBy(() -> render(Map.of("admin.token", "not a bearer token"))).hasMessageContaining("token");
  }

  @Test
  void jwtValuesRenderTheSpringResourceServerProperties() {
    Map<String, Object> data = configData(render(Map.of("admin.jwt.issuerUri", "https://login.example.com/realms/advlab",
        "admin.jwt.jwkSetUri", "https://login.example.com/jwks", "admin.jwt.adminScope", "lab:admin")));

    assertThat(data)
        .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "https://login.example.com/realms/advlab")
        .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI", "https://login.example.com/jwks")
        .containsEntry("ADVLAB_SECURITY_ADMINSCOPE", "lab:admin");
  }

  @Test
  void modelsRenderIndexedEnvAndAreRequiredUnlessMarkedOptional() {
    Map<String, Object> data = configData(render(Map.of(
        "models[0].name", "digits", "models[0].url", "/models/model/digits",
        "models[1].name", "resnet18", "models[1].url", "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18",
        "models[1].version", 2, "models[1].device", "cpu", "models[1].required", false,
        "defaultModel", "resnet18")));

    assertThat(data)
        .containsEntry("ADVLAB_MODELS_0_NAME", "digits").containsEntry("ADVLAB_MODELS_0_URL", "/models/model/digits")
        .containsEntry("ADVLAB_MODELS_0_REQUIRED", "true")
        .containsEntry("ADVLAB_MODELS_1_NAME", "resnet18").containsEntry("ADVLAB_MODELS_1_VERSION", "2")
        .containsEntry("ADVLAB_MODELS_1_DEVICE", "cpu").containsEntry("ADVLAB_MODELS_1_REQUIRED", "false")
        .containsEntry("ADVLAB_DEFAULTMODEL", "resnet18")
        .doesNotContainKeys("ADVLAB_MODEL_URL", "ADVLAB_MODELS_0_VERSION", "ADVLAB_MODELS_0_DEVICE");
  }

  @Test
  void aSingleModelUrlStaysTheOneModelMode() {
    Map<String, Object> data = configData(render(Map.of("model.url", "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18")));

    assertThat(data).containsEntry("ADVLAB_MODEL_URL", "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18");
    assertThat(data.keySet()).noneMatch(key -> key.startsWith("ADVLAB_MODELS_"));
    assertThat(configData(render(Map.of()))).doesNotContainKeys("ADVLAB_MODEL_URL", "ADVLAB_MODELS_0_NAME", "ADVLAB_DEFAULTMODEL");
  }

  @Test
  void modelsConflictsFailWithTheFix() {
    assertThatThrownBy(() -> render(Map.of("model.url", "/models/a", "models[0].name", "b", "models[0].url", "/models/b")))
        .hasMessageContaining("model.url and models are exclusive");
    assertThatThrownBy(() -> render(Map.of("models[0].name", "b", "models[0].url", "/models/b", "defaultModel", "c")))
        .hasMessageContaining("defaultModel \"c\" is not one of models: b");
    assertThatThrownBy(() -> render(Map.of("models[0].name", "b"))).hasMessageContaining("url");
  }

  @Test
  void storeValuesShareAnExistingClaimAndTakeAdminCredentialsFromASecretAndAnIssuer() {
    List<Map<String, Object>> docs = render(Map.of(), STORE_VALUES);
    Map<String, Object> pod = podSpec(docs);
    Map<String, Object> container = container(docs);

    assertThat(kinds(docs)).doesNotContain("PersistentVolumeClaim", "Secret");
    assertThat(at(one(docs, "Deployment"), "spec", "replicas")).isEqualTo(2);
    assertThat(at(volumeNamed(pod, "store"), "persistentVolumeClaim", "claimName")).isEqualTo("advlab-store");
    assertThat(mountNamed(container, "store")).containsEntry("mountPath", STORE_DIR);
    assertThat(at(envNamed(container, "ADVLAB_ADMIN_TOKEN"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", "advlab-admin", "key", "token"));
    assertThat(configData(docs))
        .containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "https://login.example.com/realms/advlab")
        .containsEntry("ADVLAB_MODELS_0_NAME", "digits").containsEntry("ADVLAB_MODELS_0_REQUIRED", "true")
        .containsEntry("ADVLAB_MODELS_1_NAME", "resnet18").containsEntry("ADVLAB_MODELS_1_REQUIRED", "false")
        .containsEntry("ADVLAB_DEFAULTMODEL", "digits").containsEntry("ADVLAB_STORE_DIR", STORE_DIR)
        .containsEntry("ADVLAB_DATABASE_URL", "jdbc:postgresql://postgres.databases.svc.cluster.local:5432/advlab")
        .containsEntry("ADVLAB_DATABASE_USER", "advlab").containsEntry("ADVLAB_EVALUATION_WORKERS", "4")
        .doesNotContainKey("ADVLAB_MODEL_URL");
    assertThat(at(envNamed(container, "ADVLAB_DATABASE_PASSWORD"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", "advlab-database", "key", "postgres-password"));
  }

  @Test
  void theDatabaseDefaultsToTheH2FileInTheStoreWithTwoEvaluationWorkers() {
    List<Map<String, Object>> docs = render(Map.of());

    assertThat(configData(docs)).doesNotContainKeys("ADVLAB_DATABASE_URL", "ADVLAB_DATABASE_USER")
        .containsEntry("ADVLAB_EVALUATION_WORKERS", "2").containsEntry("ADVLAB_STORE_DIR", STORE_DIR);
    assertThat(envNamed(container(docs), "ADVLAB_DATABASE_PASSWORD")).isNull();
    assertThat(kinds(docs)).doesNotContain("Secret");
    assertThat(configData(render(Map.of("evaluations.workers", 6)))).containsEntry("ADVLAB_EVALUATION_WORKERS", "6");
  }

  @Test
  void anExternalDatabaseTakesItsPasswordFromAnExistingSecret() {
    List<Map<String, Object>> docs = render(Map.of("database.url", POSTGRES, "database.username", "lab",
        "database.existingSecret", "advlab-database"));

    assertThat(kinds(docs)).doesNotContain("Secret");
    assertThat(configData(docs)).containsEntry("ADVLAB_DATABASE_URL", POSTGRES).containsEntry("ADVLAB_DATABASE_USER", "lab");
    assertThat(at(envNamed(container(docs), "ADVLAB_DATABASE_PASSWORD"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", "advlab-database", "key", "password"));
    assertThat(at(envNamed(container(render(Map.of("database.url", POSTGRES, "database.existingSecret", "pg",
        "database.existingSecretPasswordKey", "postgres-password"))), "ADVLAB_DATABASE_PASSWORD"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", "pg", "key", "postgres-password"));
  }

  @Test
  void aDatabasePasswordValueGoesIntoASecretTheChartMakes() {
    String password = "s3cret-database-password";
    List<Map<String, Object>> docs = render(Map.of("database.url", POSTGRES, "database.password", password,
        "admin.token", "0123456789abcdef-token"));

    Map<String, Object> secret = docs.stream().filter(d -> "Secret".equals(d.get("kind")))
        .filter(d -> (NAME + "-database").equals(at(d, "metadata", "name"))).findFirst().orElseThrow();
    assertThat((Map<String, Object>) secret.get("data"))
        .containsExactly(Map.entry("password", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))));
    assertThat(kinds(docs).stream().filter("Secret"::equals)).as("the admin and the database Secret").hasSize(2);
    assertThat(at(envNamed(container(docs), "ADVLAB_DATABASE_PASSWORD"), "valueFrom", "secretKeyRef"))
        .isEqualTo(Map.of("name", NAME + "-database", "key", "password"));
    assertThat(new Yaml().dump(one(docs, "Deployment")) + new Yaml().dump(one(docs, "ConfigMap"))).doesNotContain(password);

    List<Map<String, Object>> passwordOnly = render(Map.of("database.url", POSTGRES, "database.password", password));
    assertThat((Map<String, Object>) at(one(passwordOnly, "Deployment"), "spec", "template", "metadata", "annotations"))
        .as("pods roll when the password changes").containsKey("checksum/secret");

    List<Map<String, Object>> existing = render(Map.of("database.url", POSTGRES, "database.password", "ignored",
        "database.existingSecret", "advlab-database"));
    assertThat(kinds(existing)).doesNotContain("Secret");
    assertThat(at(envNamed(container(existing), "ADVLAB_DATABASE_PASSWORD"), "valueFrom", "secretKeyRef", "name"))
        .isEqualTo("advlab-database");
  }

  @Test
  void severalPodsWithoutANetworkDatabaseFailWithTheFix() {
    Map<String, Object> sharedStore = Map.of("store.persistence.accessModes[0]", "ReadWriteMany");

    assertThatThrownBy(() -> render(with(sharedStore, "replicaCount", 2)))
        .hasMessageContaining("database: replicaCount=2 needs one database all pods share")
        .hasMessageContaining("database.url is empty (the H2 file in the model store)")
        .hasMessageContaining("database.url=jdbc:postgresql://").hasMessageContaining("database.existingSecret");
    assertThatThrownBy(() -> render(with(sharedStore, "autoscaling.enabled", true)))
        .hasMessageContaining("database: autoscaling (up to 6 pods) needs one database all pods share");
    assertThatThrownBy(() -> render(Map.of("replicaCount", 2, "store.persistence.existingClaim", "rwx",
        "database.url", "jdbc:h2:file:/var/lib/advlab/models/jobs")))
        .hasMessageContaining("\"jdbc:h2:file:/var/lib/advlab/models/jobs\" (an embedded H2 database)");

    assertThat(kinds(render(with(sharedStore, "replicaCount", 2, "database.url", POSTGRES)))).contains("Deployment");
    assertThat(kinds(render(with(sharedStore, "replicaCount", 2, "database.url", "jdbc:h2:tcp://h2:9092/advlab"))))
        .contains("Deployment");
  }

  @Test
  void noStoreWithoutADatabaseUrlFailsWithTheFix() {
    assertThatThrownBy(() -> render(Map.of("store.enabled", false)))
        .hasMessageContaining("store.enabled=false leaves no writable folder for it")
        .hasMessageContaining("Set database.url=jdbc:postgresql://<host>:5432/advlab, or store.enabled=true");

    assertThat(configData(render(Map.of("store.enabled", false, "database.url", POSTGRES))))
        .containsEntry("ADVLAB_DATABASE_URL", POSTGRES).doesNotContainKey("ADVLAB_STORE_DIR");
  }

  @Test
  void strictEgressReachesTheDatabaseThroughDatabaseEgressOnly() {
    Map<String, Object> strict = Map.of("networkPolicy.allowExternalEgress", false, "database.url", POSTGRES);
    assertThatThrownBy(() -> render(strict))
        .hasMessageContaining("cannot reach database.url").hasMessageContaining("networkPolicy.databaseEgress");

    Map<String, Object> rule = Map.of("networkPolicy.databaseEgress[0].to[0].ipBlock.cidr", "10.40.0.5/32",
        "networkPolicy.databaseEgress[0].ports[0].port", 5432);
    String egress = new Yaml().dump(at(one(render(with(strict, rule)), "NetworkPolicy"), "spec", "egress"));
    assertThat(egress).contains("port: 53", "10.40.0.5/32", "port: 5432").doesNotContain("{}");

    String embedded = new Yaml().dump(at(one(render(with(rule, "networkPolicy.allowExternalEgress", false)),
        "NetworkPolicy"), "spec", "egress"));
    assertThat(embedded).as("no rule for the H2 file in the store").contains("port: 53").doesNotContain("10.40.0.5/32");
    assertThat((List<Object>) at(one(render(with(rule, "database.url", POSTGRES)), "NetworkPolicy"), "spec", "egress"))
        .as("all egress allowed").containsExactly(Map.of());
  }

  @Test
  void schemaRejectsDatabaseValuesTheServiceWouldRefuse() {
    assertThatThrownBy(() -> render(Map.of("database.url", "postgres://postgres:5432/advlab"))).hasMessageContaining("url");
    assertThatThrownBy(() -> render(Map.of("evaluations.workers", 0))).hasMessageContaining("workers");
    assertThatThrownBy(() -> render(Map.of("database.existingSecretPasswordKey", ""))).hasMessageContaining("existingSecretPasswordKey");
  }

  @Test
  void schemaRejectsValuesOfTheWrongType() {
    assertThatThrownBy(() -> render(Map.of("replicaCount", "one")))
        .hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> render(Map.of("settings.device", "tpu")))
        .hasMessageContaining("device");
  }

  @Test
  void everyValueIsDocumentedWithAnAtParamComment() throws IOException {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    Pattern param = Pattern.compile("^\\s*## @param (\\S+) .+");
    Set<String> documented = new HashSet<>();
    for (String line : lines) {
      Matcher m = param.matcher(line);
      if (m.matches()) {
        documented.add(m.group(1));
      }
    }
    Set<String> leaves = new HashSet<>();
    collectLeaves("", load(CHART.resolve("values.yaml")), leaves);

    Set<String> undocumented = leaves.stream()
        .filter(leaf -> Stream.iterate(leaf, p -> p.contains("."), p -> p.substring(0, p.lastIndexOf('.')))
            .noneMatch(documented::contains) && !documented.contains(leaf.split("\\.")[0]))
        .collect(Collectors.toSet());
    assertThat(undocumented).as("values without an @param comment (on them or a parent)").isEmpty();
    Set<String> stale = documented.stream().filter(p -> leaves.stream().noneMatch(l -> l.equals(p) || l.startsWith(p + ".")))
        .collect(Collectors.toSet());
    assertThat(stale).as("@param comments naming no value").isEmpty();
  }

  // ---- the operator's findings: helm test, rollouts, ports, labels, NetworkPolicy, resources, GPU, route, images ----

  @Test
  void theTestPodIsSelectedByNeitherServiceNorPdbNorNetworkPolicyButIsAnAdmittedClient() {
    List<Map<String, Object>> docs = renderWithTests("demo", Map.of("networkPolicy.allowExternal", false,
        "networkPolicy.allowExternalEgress", false));
    Map<String, Object> testPod = one(docs, "Pod");
    Map<String, Object> labels = (Map<String, Object>) at(testPod, "metadata", "labels");
    Map<String, Object> policy = one(docs, "NetworkPolicy");

    assertThat(servicesSelecting(docs, labels)).as("Services selecting the test Pod").isEmpty();
    assertThat(selects((Map<String, Object>) at(one(docs, "PodDisruptionBudget"), "spec", "selector", "matchLabels"), labels))
        .as("PDB selects the test Pod").isFalse();
    assertThat(selects((Map<String, Object>) at(policy, "spec", "podSelector", "matchLabels"), labels))
        .as("the chart's NetworkPolicy (DNS-only egress) selects the test Pod").isFalse();
    Map<String, Object> admitted = (Map<String, Object>) ((List<Map<String, Object>>) ingressRules(policy).get(0).get("from"))
        .get(0).get("podSelector");
    assertThat(selects((Map<String, Object>) admitted.get("matchLabels"), labels)).as("admitted by the restricted policy").isTrue();
    Map<String, Object> appPod = (Map<String, Object>) at(one(docs, "Deployment"), "spec", "template", "metadata", "labels");
    assertThat(servicesSelecting(docs, appPod)).as("the check itself: Services selecting the app's pods").contains(NAME);
    assertThat((List<Object>) ((List<Map<String, Object>>) at(testPod, "spec", "containers")).get(0).get("args"))
        .contains("http://" + NAME + ":80/api/v1/models");
  }

  @Test
  void theClientLabelKeyStaysWithin63CharactersForA53CharacterReleaseName() {
    String release = "r".repeat(53);
    List<Map<String, Object>> docs = renderWithTests(release, Map.of("networkPolicy.allowExternal", false));
    Map<String, Object> admitted = (Map<String, Object>) ((List<Map<String, Object>>) ingressRules(one(docs, "NetworkPolicy"))
        .get(0).get("from")).get(0).get("podSelector");
    String key = ((Map<String, Object>) admitted.get("matchLabels")).keySet().iterator().next();

    assertThat(key).hasSizeLessThanOrEqualTo(63).endsWith("-client").startsWith(release);
    assertThat((Map<String, Object>) at(one(docs, "Pod"), "metadata", "labels")).containsEntry(key, "true");
    assertThat(docs.stream().filter(d -> "Service".equals(d.get("kind"))).map(d -> (String) at(d, "metadata", "name")))
        .allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63));
  }

  @Test
  void oneGpuPodOrOnePodOnAReadWriteOnceStoreRollsWithoutASurgePod() {
    Map<String, Object> noSurge = Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", 0, "maxUnavailable", 1));

    assertThat(strategy(render(Map.of()))).as("created ReadWriteOnce store, one replica").isEqualTo(noSurge);
    assertThat(strategy(render(Map.of("store.persistence.existingClaim", "store")))).as("existing claim, one replica").isEqualTo(noSurge);
    assertThat(strategy(render(Map.of("store.enabled", false, "database.url", POSTGRES), GPU_VALUES)))
        .as("GPU without a store").isEqualTo(noSurge);
    assertThat(strategy(render(Map.of("store.persistence.accessModes[0]", "ReadWriteMany", "replicaCount", 3,
        "database.url", POSTGRES), GPU_VALUES)))
        .as("GPU pods on a shared store").isEqualTo(noSurge);

    assertThat(strategy(render(Map.of("store.persistence.enabled", false)))).as("CPU, emptyDir store: Kubernetes' default").isNull();
    assertThat(strategy(render(Map.of("store.persistence.accessModes[0]", "ReadWriteMany", "replicaCount", 2,
        "database.url", POSTGRES)))).isNull();
    assertThat(strategy(render(Map.of(), STORE_VALUES))).as("two replicas on an existing (ReadWriteMany) claim").isNull();
    assertThat(strategy(render(Map.of("strategy.type", "Recreate"), GPU_VALUES))).isEqualTo(Map.of("type", "Recreate"));
  }

  @Test
  void aChangedContainerPortReachesTheAppThroughServerPortAndTheProbesFollow() {
    List<Map<String, Object>> docs = render(Map.of("containerPort", 9000));
    Map<String, Object> container = container(docs);

    assertThat(envNamed(container, "SERVER_PORT")).containsEntry("value", "9000");
    assertThat(containerPort(container, "http")).isEqualTo(9000);
    assertThat(at(service(docs, NAME), "spec", "ports")).isEqualTo(List.of(
        Map.of("name", "http", "port", 80, "targetPort", "http", "protocol", "TCP")));
    assertThat(ingressRules(one(docs, "NetworkPolicy")).get(0).get("ports")).isEqualTo(List.of(Map.of("port", 9000, "protocol", "TCP")));
    assertProbesReachTheActuator(container);

    List<Map<String, Object>> shared = render(Map.of("containerPort", 9000, "managementPort", 9000));
    Map<String, Object> sharedContainer = container(shared);
    assertThat(envNamed(sharedContainer, "MANAGEMENT_SERVER_PORT")).isNull();
    assertThat(at(sharedContainer, "readinessProbe", "httpGet", "port")).isEqualTo("http");
    assertProbesReachTheActuator(sharedContainer);
    assertThat(kinds(shared).stream().filter("Service"::equals)).hasSize(1);
  }

  @Test
  void theActuatorHasItsOwnPortOffTheServiceThatIngressAndHttpRouteUse() {
    List<Map<String, Object>> docs = render(Map.of("ingress.enabled", true, "httpRoute.enabled", true));
    Map<String, Object> container = container(docs);

    assertThat(envNamed(container, "SERVER_PORT")).containsEntry("value", "8080");
    assertThat(envNamed(container, "MANAGEMENT_SERVER_PORT")).containsEntry("value", "8081");
    assertThat(containerPort(container, "management")).isEqualTo(8081);
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
    }
    assertProbesReachTheActuator(container);
    Map<String, Object> app = service(docs, NAME);
    assertThat(servicePortNames(app)).containsExactly("http");
    assertThat(new Yaml().dump(app.get("spec"))).doesNotContain("8081", "management");
    assertThat(at(one(docs, "Ingress"), "spec", "rules")).asString().contains("name=" + NAME + ",").doesNotContain("management");
    assertThat((List<Map<String, Object>>) at(((List<Map<String, Object>>) at(one(docs, "HTTPRoute"), "spec", "rules")).get(0), "backendRefs"))
        .containsExactly(Map.of("name", NAME, "port", 80));
    Map<String, Object> management = service(docs, NAME + "-management");
    assertThat(at(management, "spec", "ports")).isEqualTo(List.of(
        Map.of("name", "management", "port", 8081, "targetPort", "management", "protocol", "TCP")));
    assertThat(ingressRules(one(docs, "NetworkPolicy")).get(1).get("ports")).isEqualTo(List.of(Map.of("port", 8081, "protocol", "TCP")));
  }

  @Test
  void strictNetworkPolicyRefusesToShutOutTheGatewayPrometheusOrTheModelDownload() {
    assertThatThrownBy(() -> render(Map.of("networkPolicy.allowExternal", false, "ingress.enabled", true)))
        .hasMessageContaining("networkPolicy.gatewayFrom").hasMessageContaining("Ingress controller");
    assertThatThrownBy(() -> render(Map.of("networkPolicy.allowExternal", false, "httpRoute.enabled", true)))
        .hasMessageContaining("networkPolicy.gatewayFrom").hasMessageContaining("Gateway controller");
    assertThatThrownBy(() -> render(Map.of("networkPolicy.allowExternal", false, "metrics.serviceMonitor.enabled", true)))
        .hasMessageContaining("networkPolicy.metricsFrom");
    assertThatThrownBy(() -> render(Map.of("networkPolicy.allowExternalEgress", false, "model.download.enabled", true,
        "model.download.url", "https://models.example.com/digits.tar.gz")))
        .hasMessageContaining("networkPolicy.modelDownloadEgress");
  }

  @Test
  void strictNetworkPolicyAdmitsTheConfiguredGatewayPrometheusAndModelServer() {
    Map<String, Object> spec = (Map<String, Object>) one(render(Map.of(), FULL_VALUES), "NetworkPolicy").get("spec");
    List<Map<String, Object>> ingress = (List<Map<String, Object>>) spec.get("ingress");

    assertThat(new Yaml().dump(ingress.get(0))).contains("port: 8080", NAME + "-client", "ingress-nginx", "gateway-system")
        .doesNotContain("monitoring");
    assertThat(new Yaml().dump(ingress.get(1))).contains("port: 8081", "monitoring").doesNotContain("ingress-nginx", "-client");
    assertThat(new Yaml().dump(spec.get("egress"))).contains("port: 53", "10.20.0.0/24", "10.30.0.10/32", "port: 5432",
        "app.kubernetes.io/name: postgresql").doesNotContain("{}");
  }

  @Test
  void everyContainerTheChartRunsHasCpuAndMemoryRequestsAndLimits() {
    for (Path values : List.of(GPU_VALUES, STORE_VALUES, FULL_VALUES)) {
      List<Map<String, Object>> docs = renderWithTests("demo", Map.of(), values);
      List<Map<String, Object>> containers = new ArrayList<>();
      for (Map<String, Object> pod : List.of(podSpec(docs), (Map<String, Object>) one(docs, "Pod").get("spec"))) {
        containers.addAll((List<Map<String, Object>>) pod.getOrDefault("initContainers", List.of()));
        containers.addAll((List<Map<String, Object>>) pod.get("containers"));
      }
      assertThat(containers).as(values.getFileName().toString()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(c -> {
        assertThat((Map<String, Object>) at(c, "resources", "requests")).as(c.get("name") + " requests").containsKeys("cpu", "memory");
        assertThat(limits(c)).as(c.get("name") + " limits").containsKeys("cpu", "memory");
      });
    }
  }

  @Test
  void nullGpuSchedulingValuesRenderWithoutThem() {
    Map<String, Object> pod = podSpec(render(Map.of("gpu.nodeSelector", "null", "gpu.tolerations", "null",
        "nodeSelector.pool", "gpu"), GPU_VALUES));

    assertThat((Map<String, Object>) pod.get("nodeSelector")).isEqualTo(Map.of("pool", "gpu"));
    assertThat(pod).doesNotContainKey("tolerations");
    assertThat(podSpec(render(Map.of("nodeSelector", "null", "tolerations", "null"), GPU_VALUES)).get("tolerations")).isNotNull();
  }

  @Test
  void httpRouteRulesKeepTheirNameTimeoutsAndBackends() {
    List<Map<String, Object>> rules = (List<Map<String, Object>>) at(one(render(Map.of("httpRoute.enabled", true,
        "httpRoute.rules[0].name", "attacks", "httpRoute.rules[0].matches[0].path.type", "PathPrefix",
        "httpRoute.rules[0].matches[0].path.value", "/api/v1/attacks", "httpRoute.rules[0].timeouts.request", "300s",
        "httpRoute.rules[0].timeouts.backendRequest", "280s",
        "httpRoute.rules[1].backendRefs[0].name", "canary", "httpRoute.rules[1].backendRefs[0].port", 80,
        "httpRoute.rules[1].backendRefs[0].weight", 10)), "HTTPRoute"), "spec", "rules");

    assertThat(rules.get(0)).containsEntry("name", "attacks")
        .containsEntry("timeouts", Map.of("request", "300s", "backendRequest", "280s"))
        .containsEntry("backendRefs", List.of(Map.of("name", NAME, "port", 80)));
    assertThat(at(rules.get(0), "matches")).asString().contains("/api/v1/attacks");
    assertThat(rules.get(1)).containsEntry("backendRefs", List.of(Map.of("name", "canary", "port", 80, "weight", 10)));
    assertThat(at(rules.get(1), "matches")).asString().contains("value=/");
    assertThatThrownBy(() -> render(Map.of("httpRoute.enabled", true, "httpRoute.rules[0].timeout.request", "300s")))
        .hasMessageContaining("timeout");
  }

  @Test
  void defaultImagesAreTheOnesTheDocsBuild() throws IOException {
    String docs = Files.readString(Path.of("docs", "deploy.md"));
    String cpu = (String) container(render(Map.of())).get("image");
    String cuda = (String) container(render(Map.of(), GPU_VALUES)).get("image");

    assertThat(docs).contains("docker build -t " + cpu + " ").contains("docker build -t " + cuda + " ");
    assertThat(List.of(cpu, cuda)).containsExactly("advlab:cpu", "advlab:cuda");
  }

  // ---- rendering helpers ----

  private static LintResult lintWith(Path valuesFile, Path tmp) throws IOException {
    Path chart = tmp.resolve("advlab");
    FileSystemUtils.copyRecursively(CHART, chart);
    Map<String, Object> values = merge(load(CHART.resolve("values.yaml")), load(valuesFile));
    Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(values));
    return new Helm(chart).lint().strict().call();
  }

  private static List<Map<String, Object>> render(Map<String, Object> sets) {
    return render(sets, null);
  }

  private static List<Map<String, Object>> render(Map<String, Object> sets, Path valuesFile) {
    return valuesFile == null ? HelmCharts.render(CHART, "demo", sets) : HelmCharts.render(CHART, "demo", sets, valuesFile);
  }

  /** Rendered with the helm test Pod (a hook, which helm-java's template leaves out). */
  private static List<Map<String, Object>> renderWithTests(String release, Map<String, Object> sets, Path... valuesFiles) {
    return HelmCharts.render(chartWithHooks, release, sets, valuesFiles);
  }

  /** These --set values plus more, given as key, value, key, value... */
  private static Map<String, Object> with(Map<String, Object> sets, Object... keysAndValues) {
    Map<String, Object> all = new LinkedHashMap<>(sets);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      all.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return all;
  }

  private static Map<String, Object> with(Map<String, Object> sets, Map<String, Object> more) {
    Map<String, Object> all = new LinkedHashMap<>(sets);
    all.putAll(more);
    return all;
  }

  private static Map<String, Object> strategy(List<Map<String, Object>> docs) {
    return (Map<String, Object>) at(one(docs, "Deployment"), "spec", "strategy");
  }

  private static List<Map<String, Object>> ingressRules(Map<String, Object> policy) {
    return (List<Map<String, Object>>) at(policy, "spec", "ingress");
  }

  private static Map<String, Object> service(List<Map<String, Object>> docs, String name) {
    return docs.stream().filter(d -> "Service".equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
        .findFirst().orElseThrow(() -> new AssertionError("no Service " + name));
  }

  private static List<String> servicePortNames(Map<String, Object> service) {
    return ((List<Map<String, Object>>) at(service, "spec", "ports")).stream().map(p -> (String) p.get("name")).toList();
  }

  /** Whether every label of the selector is on the object (matchLabels semantics). */
  private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  private static List<String> servicesSelecting(List<Map<String, Object>> docs, Map<String, Object> podLabels) {
    return docs.stream().filter(d -> "Service".equals(d.get("kind")))
        .filter(d -> selects((Map<String, Object>) at(d, "spec", "selector"), podLabels))
        .map(d -> (String) at(d, "metadata", "name")).toList();
  }

  private static List<String> servicesSelectedBy(List<Map<String, Object>> docs, Map<String, Object> selector) {
    return docs.stream().filter(d -> "Service".equals(d.get("kind")))
        .filter(d -> selects(selector, (Map<String, Object>) at(d, "metadata", "labels")))
        .map(d -> (String) at(d, "metadata", "name")).toList();
  }

  private static int containerPort(Map<String, Object> container, String name) {
    return ((List<Map<String, Object>>) container.get("ports")).stream().filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst().orElseThrow(() -> new AssertionError("no port " + name));
  }

  /**
   * The probes' ports are where the application serves the actuator: MANAGEMENT_SERVER_PORT when
   * set, else SERVER_PORT (Spring Boot's rule), whatever the container declares.
   */
  private static void assertProbesReachTheActuator(Map<String, Object> container) {
    Map<String, Object> management = envNamed(container, "MANAGEMENT_SERVER_PORT");
    Object actuator = Integer.valueOf((String) (management != null ? management : envNamed(container, "SERVER_PORT")).get("value"));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Object port = at(container, probe, "httpGet", "port");
      assertThat(port instanceof String name ? containerPort(container, name) : port).as(probe + " port").isEqualTo(actuator);
    }
  }

  private static List<String> kinds(List<Map<String, Object>> docs) {
    return docs.stream().map(d -> (String) d.get("kind")).toList();
  }

  private static Map<String, Object> one(List<Map<String, Object>> docs, String kind) {
    List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  private static Map<String, Object> podSpec(List<Map<String, Object>> docs) {
    return (Map<String, Object>) at(one(docs, "Deployment"), "spec", "template", "spec");
  }

  private static Map<String, Object> container(List<Map<String, Object>> docs) {
    List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec(docs).get("containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, Object> limits(Map<String, Object> container) {
    return (Map<String, Object>) at(container, "resources", "limits");
  }

  private static Map<String, Object> configData(List<Map<String, Object>> docs) {
    return (Map<String, Object>) one(docs, "ConfigMap").get("data");
  }

  private static List<String> mountPaths(Map<String, Object> container) {
    return ((List<Map<String, Object>>) container.get("volumeMounts")).stream().map(m -> (String) m.get("mountPath")).toList();
  }

  private static Map<String, Object> volumeNamed(Map<String, Object> pod, String name) {
    return ((List<Map<String, Object>>) pod.get("volumes")).stream()
        .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static Map<String, Object> mountNamed(Map<String, Object> container, String name) {
    return ((List<Map<String, Object>>) container.get("volumeMounts")).stream()
        .filter(m -> name.equals(m.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no mount " + name));
  }

  /** The container's env entry of that name, or null. */
  private static Map<String, Object> envNamed(Map<String, Object> container, String name) {
    List<Map<String, Object>> env = (List<Map<String, Object>>) container.getOrDefault("env", List.of());
    return env.stream().filter(e -> name.equals(e.get("name"))).findFirst().orElse(null);
  }

  private static Object at(Map<String, Object> map, String... path) {
    Object current = map;
    for (String key : path) {
      assertThat(current).as("parent of " + key).isInstanceOf(Map.class);
      current = ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  // ---- values helpers ----

  private static Map<String, Object> load(Path file) throws IOException {
    return new Yaml().load(Files.readString(file));
  }

  private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    override.forEach((key, value) -> {
      Object existing = merged.get(key);
      if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
        merged.put(key, merge((Map<String, Object>) a, (Map<String, Object>) b));
      } else {
        merged.put(key, value);
      }
    });
    return merged;
  }

  private static void collectLeaves(String prefix, Map<String, Object> map, Set<String> leaves) {
    map.forEach((key, value) -> {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      if (value instanceof Map<?, ?> child && !child.isEmpty()) {
        collectLeaves(path, (Map<String, Object>) child, leaves);
      } else {
        leaves.add(path);
      }
    });
  }
}
