package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.advlab.sdk.ApiClient;
import io.advlab.sdk.ApiException;
import io.advlab.sdk.api.AttacksApi;
import io.advlab.sdk.api.ClassificationApi;
import io.advlab.sdk.api.EvaluationsApi;
import io.advlab.sdk.api.ModelsApi;
import io.advlab.sdk.model.AttackCatalogue;
import io.advlab.sdk.model.AttackMethod;
import io.advlab.sdk.model.AttackRequest;
import io.advlab.sdk.model.AttackResponse;
import io.advlab.sdk.model.ClassificationRequest;
import io.advlab.sdk.model.ClassificationResponse;
import io.advlab.sdk.model.Evaluation;
import io.advlab.sdk.model.EvaluationAttack;
import io.advlab.sdk.model.EvaluationCreated;
import io.advlab.sdk.model.EvaluationRequest;
import io.advlab.sdk.model.EvaluationResult;
import io.advlab.sdk.model.EvaluationState;
import io.advlab.sdk.model.LabelPage;
import io.advlab.sdk.model.MethodSpec;
import io.advlab.sdk.model.ModelInfo;
import io.advlab.sdk.model.ModelVersion;
import io.advlab.sdk.model.Problem;
import io.advlab.sdk.model.RegisterVersionRequest;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK generated in this build from {@code docs/openapi.json} (openapi-generator 7.25.0,
 * library {@code native}) drives the running service through its generated classes only, as a
 * user of the SDK would: model and labels, classification by base64 and by upload, every attack of
 * the catalogue, an evaluation from start to results, a 400 whose {@code field} the caller reads,
 * and a 503 whose {@code Retry-After} the caller reads (a registered version still loading: its
 * download is held open by a local server until the test ends).
 */
@RequiresSharedModel("digits")
class GeneratedJavaClientIT {

  private static final String TOKEN = "sdk-test-token";
  private static final Path SEVEN = Path.of("samples/digits/7.png");

  @TempDir
  static Path store;

  private static TestServer server;
  private static ApiClient client;
  private static HttpServer stalledDownloads;
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @BeforeAll
  static void start() throws IOException {
    stalledDownloads = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
    stalledDownloads.createContext("/", exchange -> {
      try {
        RELEASE.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    stalledDownloads.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    stalledDownloads.start();
    server = new TestServer(Map.of(
        "advlab.model.url", TestRequirements.sharedModel("digits"),
        "advlab.store.dir", store,
        "advlab.datasets.dir", TestRequirements.sharedDir().resolve("images").resolve("digits"),
        "advlab.security.admin-token", TOKEN,
        "advlab.image.url.allowed-hosts", "127.0.0.1",
        "jobrunr.background-job-server.poll-interval-in-seconds", 5));
    TestServer.awaitModels(server.api(), models -> "READY".equals(TestServer.state(models, "digits", 1)),
        Duration.ofMinutes(2));
    client = new ApiClient();
    client.updateBaseUri(server.api().base());
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    if (server != null) {
      server.close();
    }
    if (stalledDownloads != null) {
      stalledDownloads.stop(0);
    }
  }

  @Test
  void modelInfoAndLabels() throws ApiException {
    ModelsApi models = new ModelsApi(client);
    ModelInfo info = models.getModel("digits");
    assertThat(info.getId()).isEqualTo("digits:1");
    assertThat(info.getClasses()).isEqualTo(10);
    assertThat(info.getInputShape()).containsExactly(1, 3, 32, 32);
    LabelPage page = models.listLabels(2, 3, "digits");
    assertThat(page.getTotal()).isEqualTo(10);
    assertThat(page.getLabels()).extracting(label -> label.getName()).containsExactly("2", "3", "4");
    assertThat(models.getLabel(7, "digits").getName()).isEqualTo("7");
    assertThat(models.listModels().getModels()).extracting(m -> m.getName()).contains("digits");
  }

  @Test
  void classifiesByBase64AndByUpload() throws Exception {
    ClassificationApi classification = new ClassificationApi(client);
    ClassificationResponse byBase64 = classification.classifyImage(new ClassificationRequest()
        .imageBase64(Files.readAllBytes(SEVEN)).model("digits").topK(3));
    assertThat(byBase64.getModel().getId()).isEqualTo("digits:1");
    assertThat(byBase64.getPredictions()).hasSize(3);
    assertThat(byBase64.getPredictions().get(0).getLabel()).isEqualTo("7");

    ClassificationResponse byUpload = classification.classifyUpload(SEVEN.toFile(), null, 3, "digits", null);
    assertThat(byUpload.getPredictions()).extracting(p -> p.getIndex())
        .isEqualTo(byBase64.getPredictions().stream().map(p -> p.getIndex()).toList());
  }

  @Test
  void runsEveryAttackOfTheCatalogue() throws Exception {
    AttacksApi attacks = new AttacksApi(client);
    AttackCatalogue catalogue = attacks.listAttacks("digits");
    assertThat(catalogue.getMethods()).extracting(MethodSpec::getName).containsExactly(AttackMethod.values());
    byte[] seven = Files.readAllBytes(SEVEN);
    for (MethodSpec method : catalogue.getMethods()) {
      AttackResponse response = attacks.attackImage(new AttackRequest().imageBase64(seven).method(method.getName())
          .model("digits"));
      assertThat(response.getMethod()).isEqualTo(method.getName());
      assertThat(response.getOriginal().getPredictions().get(0).getLabel()).as(method.getName().getValue())
          .isEqualTo("7");
      assertThat(ImageIO.read(new ByteArrayInputStream(response.getAdversarialImage()))).as("adversarial PNG")
          .isNotNull();
      assertThat(ImageIO.read(new ByteArrayInputStream(response.getPerturbationImage()))).as("perturbation PNG")
          .isNotNull();
    }
    AttackResponse pgd = attacks.attackUpload(AttackMethod.PGD, SEVEN.toFile(), null, "{\"eps\": 0.3, \"steps\": 20}",
        3, null, "digits", null);
    assertThat(pgd.getTarget()).isEqualTo(3);
    assertThat(pgd.getSuccess()).as("targeted PGD-20 at eps 0.3 turns the 7 into a 3").isTrue();
    assertThat(pgd.getAdversarial().getPredictions().get(0).getIndex()).isEqualTo(3);
    assertThat(pgd.getParams()).containsEntry("steps", 20);
  }

  @Test
  void runsAnEvaluationFromStartToResults() throws Exception {
    EvaluationsApi evaluations = new EvaluationsApi(client);
    EvaluationCreated created = evaluations.startEvaluation(new EvaluationRequest().model("digits").dataset("test")
        .seed(1L).limit(20).attacks(List.of(new EvaluationAttack().method(AttackMethod.FGSM).eps(List.of(0.1, 0.3)))));
    assertThat(created.getState()).isIn(EvaluationState.QUEUED, EvaluationState.RUNNING);
    Evaluation evaluation = evaluations.getEvaluation(created.getId());
    long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (evaluation.getState() == EvaluationState.QUEUED || evaluation.getState() == EvaluationState.RUNNING) {
      assertThat(System.nanoTime()).as("finished within 3 minutes: " + evaluation).isLessThan(until);
      Thread.sleep(500);
      evaluation = evaluations.getEvaluation(created.getId());
    }
    assertThat(evaluation.getState()).as(String.valueOf(evaluation.getError())).isEqualTo(EvaluationState.SUCCEEDED);
    assertThat(evaluation.getModel()).isEqualTo("digits:1");
    assertThat(evaluation.getResults()).hasSize(2);
    for (EvaluationResult cell : evaluation.getResults()) {
      assertThat(cell.getMethod()).isEqualTo(AttackMethod.FGSM);
      assertThat(cell.getImages()).isEqualTo(20);
      assertThat(cell.getRobustAccuracy()).isLessThanOrEqualTo(cell.getCleanAccuracy());
    }
    File csv = evaluations.getEvaluationCsv(created.getId());
    assertThat(Files.readAllLines(csv.toPath())).hasSize(3).first().asString().startsWith("method,eps");
  }

  @Test
  void aBadParameterIsA400WhoseFieldTheCallerReads() throws Exception {
    AttacksApi attacks = new AttacksApi(client);
    AttackRequest tooLarge = new AttackRequest().imageBase64(Files.readAllBytes(SEVEN)).method(AttackMethod.FGSM)
        .params(Map.of("eps", 5)).model("digits");
    ApiException e = catchThrowableOfType(ApiException.class, () -> attacks.attackImage(tooLarge));
    assertThat(e.getCode()).isEqualTo(400);
    Problem problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    assertThat(problem.getField()).isEqualTo("params.eps");
    assertThat(problem.getType()).hasToString("https://advlab.io/problems/invalid-request");
    assertThat(problem.getInstance()).isEqualTo("/api/v1/attacks");
  }

  @Test
  void readmesExampleRuns() throws Exception {
    // README, section SDKs, with the test server's address and the output under target/.
    client.updateBaseUri(server.api().base());
    ClassificationResponse seven = new ClassificationApi(client)
        .classifyUpload(new File("samples/digits/7.png"), null, 3, "digits", null);   // image, url, topK, model, defence
    AttackResponse pgd = new AttacksApi(client).attackImage(new AttackRequest()
        .imageBase64(Files.readAllBytes(Path.of("samples/digits/7.png")))           // byte[]: base64 on the wire
        .method(AttackMethod.PGD).params(Map.of("eps", 0.1, "steps", 20)).model("digits"));
    Files.write(Path.of("target/adversarial.png"), pgd.getAdversarialImage());      // PNG bytes
    ApiException e = catchThrowableOfType(ApiException.class, () -> new AttacksApi(client)
        .attackImage(new AttackRequest().url("http://169.254.169.254/").method(AttackMethod.FGSM)));
    Problem problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);

    assertThat(seven.getPredictions().get(0).getLabel()).isEqualTo("7");
    assertThat(pgd.getSuccess()).isTrue();
    assertThat(ImageIO.read(Path.of("target/adversarial.png").toFile()).getWidth()).isEqualTo(32);
    assertThat(e.getCode()).isEqualTo(400);
    assertThat(problem.getField()).isEqualTo("url");
  }

  @Test
  void aModelStillLoadingIsA503WhoseRetryAfterTheCallerReads() throws Exception {
    ApiClient admin = new ApiClient();
    admin.updateBaseUri(server.api().base());
    admin.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + TOKEN));
    String url = "http://127.0.0.1:" + stalledDownloads.getAddress().getPort() + "/slow-model.zip";
    ModelVersion registered = new ModelsApi(admin).registerModelVersion("slow", new RegisterVersionRequest().url(url));
    assertThat(registered.getState()).isEqualTo(ModelVersion.StateEnum.LOADING);

    ClassificationRequest request = new ClassificationRequest().imageBase64(Files.readAllBytes(SEVEN)).model("slow");
    ApiException e = catchThrowableOfType(ApiException.class, () -> new ClassificationApi(client).classifyImage(request));
    assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(503);
    assertThat(e.getResponseHeaders().firstValue("Retry-After")).hasValue("5");
    Problem problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    assertThat(problem.getState()).isEqualTo(Problem.StateEnum.LOADING);
    assertThat(problem.getRetryAfterSeconds()).isEqualTo(5);
    assertThat(problem.getReadyModels()).contains("digits:1");
  }
}
