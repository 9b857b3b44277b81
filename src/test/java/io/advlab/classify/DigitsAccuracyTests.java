package io.advlab.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Classifies every held-out digit in {@code ../shared/images/digits/test} through real HTTP
 * uploads and compares the accuracy with the one recorded in the model's {@code METRICS.md}.
 * Requests go from several client threads so that dynamic batching is exercised too.
 */
class DigitsAccuracyTests extends DigitsServerTest {

  private static final double RECORDED_ACCURACY = 0.977;

  @Test
  void accuracyOverHttpMatchesTheRecordedCleanAccuracy() throws Exception {
    Path testDir = TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    List<Path> files = digits(testDir);
    assertThat(files).hasSize(1000);

    HttpApi api = api();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (Path file : files) {
        int label = Integer.parseInt(file.getParent().getFileName().toString());
        answers.add(clients.submit(() -> {
          HttpApi.Response response = api.postImage("/api/v1/classifications", Files.readAllBytes(file),
              file.getFileName().toString());
          assertThat(response.status()).as(file + ": " + response.body()).isEqualTo(200);
          JsonNode top = response.json().get("predictions").get(0);
          return top.get("index").asInt() == label;
        }));
      }
      int correct = 0;
      for (Future<Boolean> answer : answers) {
        correct += answer.get() ? 1 : 0;
      }
      double accuracy = correct / (double) files.size();
      System.out.printf("digits accuracy over HTTP: %.4f (%d/%d), recorded %.3f%n", accuracy, correct,
          files.size(), RECORDED_ACCURACY);
      assertThat(accuracy).isCloseTo(RECORDED_ACCURACY, org.assertj.core.data.Offset.offset(0.005));
    } finally {
      clients.shutdownNow();
    }
  }

  static List<Path> digits(Path testDir) throws IOException {
    try (Stream<Path> walk = Files.walk(testDir)) {
      return walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }
}
