package io.advlab.defence;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The randomization defence on the held-out digits through real HTTP, default settings (30 draws,
 * sizes [29, 32) padded back to 32): clean accuracy stays within a point of the undefended model's;
 * PGD-20 eps 0.1 crafted on the undefended network ("vanilla", {@code eot: 0}) and judged through
 * the defence leaves at least five times the undefended accuracy; EOT-PGD-20 with 10 draws per step
 * brings it back to at most half of that. Every fifth digit (200) by default; all 1000 with
 * {@code -Dadvlab.defence.stride=1}. Figures are printed and written to
 * {@code target/defence-accuracy.md}.
 */
class DefenceAccuracyTests extends DigitsServerTest {

  private static final int CLIENTS = 4;
  private static final Map<String, Object> DEFENCE = Map.of("type", "randomization");
  private static final List<String> REPORT = new ArrayList<>();
  private static List<Digit> digits;

  record Digit(String base64, int label) {}

  @BeforeAll
  static void loadDigits() throws IOException {
    Path dir = TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    int stride = Integer.getInteger("advlab.defence.stride", 5);
    List<Digit> all = new ArrayList<>();
    for (int label = 0; label < 10; label++) {
      try (Stream<Path> files = Files.list(dir.resolve(Integer.toString(label)))) {
        for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
          all.add(new Digit(Base64.getEncoder().encodeToString(Files.readAllBytes(p)), label));
        }
      }
    }
    digits = new ArrayList<>();
    for (int i = 0; i < all.size(); i += stride) {
      digits.add(all.get(i));
    }
  }

  @AfterAll
  static void report() throws IOException {
    String table = "| figure | n | accuracy |\n|---|---|---|\n" + String.join("\n", REPORT) + "\n";
    System.out.println(table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "defence-accuracy.md"), table);
  }

  @Test
  void cleanAccuracyStaysWithinOnePoint() throws Exception {
    double plain = accuracy("clean, undefended", d -> top1(classify(d, null)));
    double defended = accuracy("clean, randomization", d -> top1(classify(d, DEFENCE)));
    assertThat(Math.abs(defended - plain)).as("clean accuracy %.3f defended vs %.3f", defended, plain)
        .isLessThanOrEqualTo(0.01 + 1e-9);
  }

  @Test
  void vanillaPgdTransfersBadlyAndEotPgdBringsItBack() throws Exception {
    List<JsonNode> vanilla = attackAll(0);
    double undefended = record("PGD-20 eps 0.1 on the undefended network, judged undefended", vanilla,
        (d, r) -> top1(classifyBase64(r.get("adversarialImage").asString(), null)));
    double transfer = record("PGD-20 eps 0.1 on the undefended network (eot 0), judged through the defence", vanilla,
        (d, r) -> top1Of(r.get("adversarial")));
    List<JsonNode> eot = attackAll(10);
    double adaptive = record("EOT-PGD-20 eps 0.1, 10 draws per step, judged through the defence", eot,
        (d, r) -> top1Of(r.get("adversarial")));
    assertThat(transfer).as("vanilla through the defence vs undefended %.3f", undefended)
        .isGreaterThanOrEqualTo(5 * undefended).isGreaterThan(undefended);
    assertThat(adaptive).as("EOT-PGD through the defence vs vanilla %.3f", transfer)
        .isLessThanOrEqualTo(transfer / 2);
  }

  private List<JsonNode> attackAll(int eot) throws Exception {
    return parallel(d -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("imageBase64", d.base64());
      body.put("method", "pgd");
      body.put("params", Map.of("eps", 0.1, "stepSize", 0.025, "steps", 20, "randomStart", true, "seed", 1,
          "label", d.label(), "eot", eot));
      body.put("defence", DEFENCE);
      return ok(api().postJson("/api/v1/attacks", body));
    });
  }

  private double accuracy(String name, Function<Digit, Integer> top1) throws Exception {
    List<Integer> tops = parallel(top1);
    return note(name, tops);
  }

  private double record(String name, List<JsonNode> responses, java.util.function.BiFunction<Digit, JsonNode, Integer> top1)
      throws Exception {
    List<Integer> tops = new ArrayList<>();
    for (int i = 0; i < digits.size(); i++) {
      tops.add(top1.apply(digits.get(i), responses.get(i)));
    }
    return note(name, tops);
  }

  private static double note(String name, List<Integer> tops) {
    int correct = 0;
    for (int i = 0; i < digits.size(); i++) {
      if (tops.get(i) == digits.get(i).label()) {
        correct++;
      }
    }
    double accuracy = (double) correct / digits.size();
    String row = String.format("| %s | %d | %.3f |", name, digits.size(), accuracy);
    System.out.println(row);
    REPORT.add(row);
    return accuracy;
  }

  private <T> List<T> parallel(Function<Digit, T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Digit d : digits) {
        futures.add(pool.submit(() -> work.apply(d)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private JsonNode classify(Digit d, Map<String, Object> defence) {
    return classifyBase64(d.base64(), defence);
  }

  private JsonNode classifyBase64(String base64, Map<String, Object> defence) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("imageBase64", base64);
    body.put("topK", 1);
    if (defence != null) {
      body.put("defence", defence);
    }
    return ok(api().postJson("/api/v1/classifications", body));
  }

  private static int top1(JsonNode classification) {
    return classification.get("predictions").get(0).get("index").asInt();
  }

  private static int top1Of(JsonNode side) {
    return side.get("predictions").get(0).get("index").asInt();
  }

  private static JsonNode ok(HttpApi.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }
}
