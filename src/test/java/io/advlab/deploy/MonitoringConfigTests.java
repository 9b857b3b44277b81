package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks that the Prometheus and Grafana files under {@code ops/} fit the meters the service
 * registers: every series the dashboard queries is one Micrometer's Prometheus registry exposes
 * for a meter in {@link #METERS}, and that list is cross-checked against the
 * {@code *.builder("name")} calls and the names handed to {@code BatchingQueue.Meters} in
 * {@code src/main/java} both ways.
 */
class MonitoringConfigTests {

  private static final Path OPS = Path.of("ops").toAbsolutePath();
  private static final Path MAIN = Path.of("src", "main", "java").toAbsolutePath();
  private static final Pattern BUILDER = Pattern.compile("\\b(Timer|Gauge|Counter|DistributionSummary)\\.builder\\(\\s*\"([^\"]+)\"");
  /** {@code new BatchingQueue.Meters(timer, description, batchSize, waiting, busy, workers)}. */
  private static final Pattern QUEUE_METERS = Pattern.compile(
      "new BatchingQueue\\.Meters\\(\\s*(\"[^\"]*\"|null)\\s*,\\s*(?:\"[^\"]*\"|null)\\s*,"
          + "\\s*(\"[^\"]*\"|null)\\s*,\\s*(\"[^\"]*\"|null)\\s*,\\s*(\"[^\"]*\"|null)\\s*,\\s*(\"[^\"]*\"|null)\\s*\\)");
  private static final List<Kind> QUEUE_METER_KINDS =
      List.of(Kind.Timer, Kind.DistributionSummary, Kind.Gauge, Kind.Gauge, Kind.Gauge);
  private static final Pattern SERIES = Pattern.compile("\\b(?:advlab|gpu|http_server|jvm|process|tomcat)_[a-z0-9_]+");

  enum Kind { Timer, Gauge, Counter, DistributionSummary }

  /** A meter the application registers; {@code source} is null for Spring Boot's own. */
  record Meter(String name, Kind kind, String unit, String source) {

    /** The series names Micrometer's Prometheus registry writes for this meter. */
    Set<String> series() {
      String base = name.replace('.', '_');
      switch (kind) {
        case Timer:
          return Set.of(base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max", base + "_seconds_bucket");
        case DistributionSummary:
          return Set.of(base + "_count", base + "_sum", base + "_max", base + "_bucket");
        case Counter:
          return Set.of(base + "_total");
        default:
          return Set.of(unit == null ? base : base + "_" + unit);
      }
    }
  }

  private static final String BATCHER = "io/advlab/model/InferenceBatcher.java";
  private static final String GPU = "io/advlab/system/GpuMetrics.java";
  private static final String ATTACKS = "io/advlab/attack/AttackResults.java";
  private static final String GRADIENTS = "io/advlab/attack/GradientScheduler.java";

  static final List<Meter> METERS = List.of(
      new Meter("http.server.requests", Kind.Timer, null, null),
      new Meter("advlab.inference", Kind.Timer, null, BATCHER),
      new Meter("advlab.inference.batch.size", Kind.DistributionSummary, null, BATCHER),
      new Meter("advlab.inference.queue.waiting", Kind.Gauge, null, BATCHER),
      new Meter("advlab.inference.workers.busy", Kind.Gauge, null, BATCHER),
      new Meter("advlab.inference.workers", Kind.Gauge, null, BATCHER),
      new Meter("advlab.attacks", Kind.Counter, null, ATTACKS),
      new Meter("advlab.attack", Kind.Timer, null, ATTACKS),
      new Meter("advlab.gradient.step", Kind.Timer, null, GRADIENTS),
      new Meter("advlab.gradient.batch.size", Kind.DistributionSummary, null, GRADIENTS),
      new Meter("advlab.gradient.queue.waiting", Kind.Gauge, null, GRADIENTS),
      new Meter("advlab.attacks.running", Kind.Gauge, null, GRADIENTS),
      new Meter("gpu.devices", Kind.Gauge, null, GPU),
      new Meter("gpu.memory.used", Kind.Gauge, "bytes", GPU),
      new Meter("gpu.memory.max", Kind.Gauge, "bytes", GPU));

  @Test
  void meterListMatchesTheBuildersInTheSourceBothWays() throws IOException {
    Map<String, Kind> registered = registeredInSource();
    List<String> notYetInThisCheckout = new ArrayList<>();
    for (Meter meter : METERS) {
      if (meter.source() == null) {
        continue;
      }
      if (!Files.exists(MAIN.resolve(meter.source()))) {
        notYetInThisCheckout.add(meter.name() + " (" + meter.source() + ")");
        continue;
      }
      assertThat(registered).as("builder in " + meter.source()).containsEntry(meter.name(), meter.kind());
    }
    if (!notYetInThisCheckout.isEmpty()) {
      System.out.println("Not checked, source absent from this branch: " + notYetInThisCheckout);
    }
    assertThat(notYetInThisCheckout).as("meters checked against source").hasSizeLessThan(METERS.size() - 1);

    Set<String> listed = new LinkedHashSet<>();
    METERS.forEach(m -> listed.add(m.name()));
    assertThat(listed).as("every advlab/gpu meter the source registers is listed").containsAll(registered.keySet());
  }

  @Test
  void everyDashboardSeriesIsOneTheServiceExposes() throws IOException {
    Set<String> used = dashboardSeries();
    Map<String, String> meterOfSeries = new HashMap<>();
    METERS.forEach(m -> m.series().forEach(s -> meterOfSeries.put(s, m.name())));

    assertThat(used).isNotEmpty();
    assertThat(meterOfSeries.keySet()).as("series queried by ops/grafana/dashboards/advlab.json").containsAll(used);
    Set<String> meters = new LinkedHashSet<>();
    used.forEach(s -> meters.add(meterOfSeries.get(s)));
    assertThat(meters).as("the dashboard covers HTTP, inference, queues, attacks, gradients and GPU").contains(
        "http.server.requests", "advlab.inference", "advlab.inference.batch.size", "advlab.inference.queue.waiting",
        "advlab.attacks", "advlab.attack", "advlab.gradient.step", "gpu.memory.used", "gpu.devices");
  }

  @Test
  void dashboardPanelsUseTheProvisionedDatasource() throws IOException {
    JsonNode dashboard = dashboard();
    Map<String, Object> provisioning = new Yaml().load(Files.readString(
        OPS.resolve("grafana/provisioning/datasources/prometheus.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> datasource = ((List<Map<String, Object>>) provisioning.get("datasources")).get(0);

    Set<Integer> ids = new LinkedHashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
      if (!"row".equals(panel.path("type").asString())) {
        assertThat(panel.path("datasource").path("uid").asString()).isEqualTo(datasource.get("uid"));
        assertThat(panel.path("targets").size()).as(panel.path("title").asString()).isPositive();
      }
    }
    assertThat(dashboard.path("uid").asString()).isEqualTo("advlab");
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesTheActuatorEndpointOfTheComposeService() throws IOException {
    Map<String, Object> config = new Yaml().load(Files.readString(OPS.resolve("prometheus/prometheus.yml")));
    Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
        .filter(j -> "advlab".equals(j.get("job_name"))).findFirst().orElseThrow();

    assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
    assertThat(String.valueOf(job.get("static_configs"))).contains("advlab:8080");
  }

  private static Map<String, Kind> registeredInSource() throws IOException {
    Map<String, Kind> registered = new HashMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher m = BUILDER.matcher(source);
        while (m.find()) {
          registered.put(m.group(2), Kind.valueOf(m.group(1)));
        }
        Matcher q = QUEUE_METERS.matcher(source);
        while (q.find()) {
          for (int i = 0; i < QUEUE_METER_KINDS.size(); i++) {
            String name = q.group(i + 1);
            if (!"null".equals(name)) {
              registered.put(name.substring(1, name.length() - 1), QUEUE_METER_KINDS.get(i));
            }
          }
        }
      }
    }
    return registered;
  }

  private static Set<String> dashboardSeries() throws IOException {
    Set<String> series = new LinkedHashSet<>();
    JsonNode dashboard = dashboard();
    List<JsonNode> queries = new ArrayList<>(dashboard.findValues("expr"));
    queries.addAll(dashboard.path("templating").findValues("definition"));
    for (JsonNode expr : queries) {
      Matcher m = SERIES.matcher(expr.asString());
      while (m.find()) {
        series.add(m.group());
      }
    }
    return series;
  }

  private static JsonNode dashboard() throws IOException {
    return JsonMapper.builder().build().readTree(Files.readString(OPS.resolve("grafana/dashboards/advlab.json")));
  }
}
