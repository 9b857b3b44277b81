package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the chart with each value set in {@code helm/advlab/ci} (and the defaults), the
 * {@code helm test} Pod included, and validates every object against the official Kubernetes
 * schemas ({@link KubernetesManifestValidator}): a misspelt field fails the build, not an install.
 */
class HelmManifestSchemaTests {

  @TempDir
  static Path tmp;

  private static Path chart;

  @BeforeAll
  static void copyChart() throws IOException {
    chart = HelmCharts.withHooksAsManifests(tmp);
  }

  @Test
  void defaultValuesRenderValidObjects() {
    assertValid(HelmCharts.render(chart, "demo", Map.of()));
  }

  @Test
  void gpuValuesRenderValidObjects() {
    assertValid(HelmCharts.render(chart, "demo", Map.of(), HelmCharts.CI.resolve("gpu-values.yaml")));
  }

  @Test
  void storeValuesRenderValidObjects() {
    assertValid(HelmCharts.render(chart, "demo", Map.of(), HelmCharts.CI.resolve("store-values.yaml")));
  }

  @Test
  void servingAndWorkerReleasesRenderValidObjects() {
    assertValid(HelmCharts.render(chart, "advlab", Map.of("training.enabled", false),
        HelmCharts.CI.resolve("store-values.yaml")));
    assertValid(HelmCharts.render(chart, "advlab-worker", Map.of(), HelmCharts.CI.resolve("worker-values.yaml")));
  }

  @Test
  void everythingOnRendersValidObjects() {
    List<Map<String, Object>> docs = HelmCharts.render(chart, "demo", Map.of(), HelmCharts.CI.resolve("full-values.yaml"));

    assertThat(docs.stream().map(d -> d.get("kind"))).contains("Ingress", "HTTPRoute", "ServiceMonitor",
        "HorizontalPodAutoscaler", "Secret", "PersistentVolumeClaim", "NetworkPolicy", "Pod");
    assertValid(docs);
  }

  @Test
  void aLongReleaseNameRendersValidNamesAndLabels() {
    assertValid(HelmCharts.render(chart, "r".repeat(53), Map.of(), HelmCharts.CI.resolve("full-values.yaml")));
  }

  @Test
  void aMisspeltFieldInATemplateFailsTheValidation(@TempDir Path dir) throws IOException {
    Path broken = HelmCharts.withHooksAsManifests(dir);
    replace(broken.resolve("templates/deployment.yaml"), "terminationGracePeriodSeconds:", "terminationGracePeriodSecond:");
    replace(broken.resolve("templates/servicemonitor.yaml"), "scrapeTimeout:", "scrapeTimout:");
    replace(broken.resolve("templates/httproute.yaml"), "hostnames:", "hostname:");

    List<String> problems = KubernetesManifestValidator.problems(HelmCharts.render(broken, "demo",
        Map.of("metrics.serviceMonitor.enabled", true, "httpRoute.enabled", true)));

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("apps/v1/Deployment demo-advlab:")
        .contains("terminationGracePeriodSecond"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("monitoring.coreos.com/v1/ServiceMonitor").contains("scrapeTimout"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("gateway.networking.k8s.io/v1/HTTPRoute").contains("hostname"));
    assertThat(problems).hasSize(3);
  }

  @Test
  void aValueOfTheWrongTypeFailsTheValidation() {
    List<String> problems = KubernetesManifestValidator.problems(HelmCharts.render(chart, "demo",
        Map.of("extraEnv[0].name", "A", "extraEnv[0].valueFrom.configMapKeyRef", "not-an-object",
            "metrics.serviceMonitor.enabled", true, "metrics.serviceMonitor.interval", "every minute")));

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("apps/v1/Deployment").contains("not-an-object"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("monitoring.coreos.com/v1/ServiceMonitor").contains("interval"));
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  private static void assertValid(List<Map<String, Object>> docs) {
    assertThat(docs).isNotEmpty();
    assertThat(KubernetesManifestValidator.problems(docs)).as("schema problems").isEmpty();
  }
}
