package io.advlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.HttpApi;
import io.advlab.support.RequiresSharedModel;
import io.advlab.support.TestRequirements;
import io.advlab.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The lab page at {@code /} in a real headless Chromium against the whole service started
 * in-process (the digits model from {@code ../shared}, its digits as data sets): an uploaded digit
 * attacked with PGD changes the prediction shown, a bad parameter shows the server's message, an
 * evaluation started on the page is followed to its end, the default version is set with the
 * admin token, and fine-tuning curves are drawn. Each page is written under target/screenshots/.
 */
@RequiresSharedModel("digits")
class LabBrowserTests {

  private static final String TOKEN = "lab-test-token";

  @TempDir
  static Path store;

  private static TestServer server;
  private static LabBrowser browser;

  @BeforeAll
  static void start() {
    TestRequirements.Chromium chromium = TestRequirements.assumeChromium();
    TestRequirements.assumeSharedImages(TestRequirements.digitsTestDir());
    Map<String, Object> p = new HashMap<>();
    p.put("advlab.models[0].name", "digits");
    p.put("advlab.models[0].url", TestRequirements.sharedModel("digits").toString());
    p.put("advlab.default-model", "digits");
    p.put("advlab.store.dir", store.toString());
    p.put("advlab.datasets.dir", TestRequirements.digitsTestDir().getParent().toString());
    p.put("advlab.security.admin-token", TOKEN);
    server = new TestServer(p);
    TestServer.awaitSettled(server.api());
    browser = new LabBrowser(chromium, server.api().base());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void desktopWidth() {
    browser.size(1280, 1000);
  }

  @Test
  void anUploadedDigitAttackedWithPgdChangesThePredictionOnThePage() throws Exception {
    browser.open("#attack");
    printFirstPaint();
    browser.find(By.id("image-file")).sendKeys(digit(7).toString());
    browser.await(Duration.ofSeconds(10), d -> browser.find(By.id("input-preview")).isDisplayed());
    new Select(browser.find(By.id("attack-method"))).selectByValue("pgd");
    browser.type(By.id("attack-param-eps"), "0.1");
    browser.type(By.id("attack-param-steps"), "20");
    browser.find(By.id("attack-run")).click();

    WebElement verdict = browser.await(Duration.ofSeconds(60), d -> {
      List<WebElement> found = d.findElements(By.id("attack-verdict"));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
    String original = browser.find(By.cssSelector("#fig-original .top1")).getText();
    String adversarial = browser.find(By.cssSelector("#fig-adversarial .top1")).getText();
    assertThat(original).as("the model reads the upload as a 7").startsWith("7 ");
    assertThat(adversarial).as("PGD at eps 0.1 turns the 7 into another digit").doesNotStartWith("7 ");
    assertThat(verdict.getDomAttribute("data-success")).isEqualTo("true");
    assertThat(verdict.getText()).contains("now says " + adversarial.split(" ")[0] + " instead of 7");
    assertThat(browser.find(By.id("attack-quantized")).getText()).contains("quantizedSuccess");
    assertThat(browser.find(By.cssSelector("#fig-original .bars")).findElements(By.tagName("li"))).hasSize(5);
    assertThat(browser.find(By.cssSelector("#fig-adversarial .bars")).findElements(By.tagName("li"))).hasSize(5);
    double linf = Double.parseDouble(browser.find(By.cssSelector("#fig-perturbation [data-norm=linf]")).getText());
    assertThat(linf).isBetween(0.0, 0.1 + 1e-6);
    for (String figure : List.of("fig-original", "fig-perturbation", "fig-adversarial")) {
      Number width = (Number) browser.script("return document.querySelector('#" + figure + " img').naturalWidth");
      assertThat(width.intValue()).as(figure + " shows an image").isPositive();
    }
    assertThat(browser.find(By.cssSelector("#fig-adversarial .download")).getDomAttribute("href"))
        .startsWith("data:image/png;base64,");
    browser.screenshot("attack.png");
    browser.screenshot(By.id("attack-result"), "attack-result.png");

    browser.size(390, 844);
    assertThat(tooWide()).as("nothing wider than a phone's screen").isEmpty();
    browser.screenshot("attack-phone.png");
  }

  @Test
  void everyViewFitsAPhonesWidth() {
    HttpApi.Response started = server.api().postJson("/api/v1/evaluations",
        "{\"dataset\": \"test\", \"limit\": 10, \"attacks\": [{\"method\": \"fgsm\", \"eps\": [0.1]}]}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    browser.size(390, 844);
    Map<String, String> loaded = Map.of("#attack", "#attack-params input", "#evaluations", "#evaluation-list tbody button",
        "#models", "#models-list article");
    for (String view : List.of("#attack", "#evaluations", "#models")) {
      browser.open(view);
      browser.await(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector(loaded.get(view))).isEmpty());
      assertThat(tooWide()).as("elements wider than 390 px in " + view).isEmpty();
      Number overflow = (Number) browser.script("return document.documentElement.scrollWidth - window.innerWidth");
      assertThat(overflow.intValue()).as("the page scrolls sideways in " + view).isLessThanOrEqualTo(0);
    }
  }

  /** Visible elements whose right edge is beyond the window (outside scrolling boxes), as HTML. */
  @SuppressWarnings("unchecked")
  private static List<String> tooWide() {
    return (List<String>) browser.script("""
        return [...document.querySelectorAll('body *')]
          .filter(el => el.getClientRects().length && !el.closest('.table-wrap'))
          .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map(el => el.outerHTML.slice(0, 100));""");
  }

  @Test
  void aBadParameterShowsTheServersMessageInWords() throws Exception {
    browser.open("#attack");
    browser.find(By.cssSelector("[data-sample='samples/digit-3.png']")).click();
    browser.await(Duration.ofSeconds(10), d -> browser.find(By.id("input-preview")).isDisplayed());
    new Select(browser.find(By.id("attack-method"))).selectByValue("pgd");
    browser.type(By.id("attack-param-eps"), "5");
    browser.find(By.id("attack-run")).click();

    WebElement error = browser.await(Duration.ofSeconds(30), d -> {
      WebElement box = d.findElement(By.id("attack-error"));
      return box.isDisplayed() ? box : null;
    });
    assertThat(error.getText()).contains("Invalid request").contains("above 1.0").contains("params.eps")
        .doesNotContain("{").doesNotContain("\"status\"");
    assertThat(browser.find(By.id("attack-param-eps")).getDomAttribute("aria-invalid")).isEqualTo("true");
    error.findElement(By.xpath(".//button[normalize-space()='Go to the field']")).click();
    assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("attack-param-eps");
    browser.screenshot("attack-error.png");
  }

  @Test
  void aCanvasTheModelCannotTakeIsRefusedWithTheDefenceField() {
    browser.open("#attack");
    browser.find(By.cssSelector("[data-sample='samples/digit-3.png']")).click();
    browser.await(Duration.ofSeconds(10), d -> browser.find(By.id("input-preview")).isDisplayed());
    new Select(browser.find(By.id("attack-method"))).selectByValue("fgsm");
    browser.find(By.id("defence-on")).click();
    browser.type(By.id("defence-pad"), "36");
    browser.find(By.id("attack-run")).click();

    WebElement error = browser.await(Duration.ofSeconds(30), d -> {
      WebElement box = d.findElement(By.id("attack-error"));
      return box.isDisplayed() ? box : null;
    });
    assertThat(error.getText()).contains("defence.padSize").contains("does not accept");
    assertThat(browser.find(By.id("defence-pad")).getDomAttribute("aria-invalid")).isEqualTo("true");
    browser.find(By.id("defence-on")).click();
  }

  @Test
  void anEvaluationStartedOnThePageIsFollowedToItsEnd() {
    browser.open("#evaluations");
    browser.await(Duration.ofSeconds(10), d -> !new Select(d.findElement(By.id("evaluation-dataset"))).getOptions().isEmpty());
    new Select(browser.find(By.id("evaluation-dataset"))).selectByValue("test");
    browser.type(By.id("evaluation-limit"), "20");
    browser.type(By.id("evaluation-attack-fgsm-eps"), "0.1, 0.2");
    browser.type(By.id("evaluation-attack-pgd-eps"), "0.1, 0.2");
    browser.find(By.id("evaluation-start")).click();

    browser.await(Duration.ofMinutes(3), d -> "SUCCEEDED".equals(d.findElement(By.id("evaluation-state")).getText()));
    List<WebElement> rows = browser.find(By.id("evaluation-table")).findElements(By.cssSelector("tbody tr"));
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0).getText()).startsWith("fgsm 0.1 20/20");
    WebElement progress = browser.find(By.id("evaluation-progress"));
    assertThat(progress.getDomProperty("value")).isEqualTo(progress.getDomProperty("max")).isEqualTo("80");
    browser.await(Duration.ofSeconds(10), d -> ((Number) browser.script(
        "return document.getElementById('evaluation-chart').naturalWidth")).intValue() > 0);
    String id = browser.find(By.id("evaluation-detail-title")).getText().replace("Evaluation ", "");
    assertThat(browser.find(By.id("evaluation-csv")).getDomAttribute("href"))
        .isEqualTo("/api/v1/evaluations/" + id + "/results.csv");
    browser.await(Duration.ofSeconds(10), d -> d.findElement(By.id("evaluation-list")).getText().contains("SUCCEEDED"));
    browser.screenshot("evaluations.png");
    browser.screenshot(By.id("evaluation-detail"), "evaluation-detail.png");
  }

  @Test
  void theDefaultVersionIsSetWithTheAdminToken() throws Exception {
    HttpApi.Response registered = admin("POST", "/api/v1/models/digits/versions",
        "{\"path\": \"" + TestRequirements.sharedModel("digits") + "\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(202);
    TestServer.awaitSettled(server.api());
    browser.open("#models");
    browser.script("sessionStorage.clear()"); // no admin token left from another test
    browser.open("#models");
    By makeDefault = By.cssSelector("[data-model=digits] tr[data-version='2'] button");
    browser.await(Duration.ofSeconds(10), d -> d.findElement(makeDefault).isEnabled());

    browser.find(makeDefault).click();
    WebElement error = browser.await(Duration.ofSeconds(10), d -> {
      WebElement box = d.findElement(By.id("models-error"));
      return box.isDisplayed() ? box : null;
    });
    assertThat(error.getText()).contains("Credentials required").contains("admin");

    browser.type(By.id("admin-token"), TOKEN);
    browser.find(makeDefault).click();
    browser.await(Duration.ofSeconds(10), d -> d.findElement(By.id("models-status")).getText()
        .equals("digits:2 is now the default version."));
    assertThat(server.api().get("/api/v1/models/digits").json().get("defaultVersion").asInt()).isEqualTo(2);
    assertThat(browser.find(By.cssSelector("[data-model=digits] tr[data-version='2'] th")).getText()).contains("default");
    boolean fineTuningServed = server.api().get("/api/v1/fine-tunings?model=digits").status() != 404;
    browser.await(Duration.ofSeconds(10), d -> d.findElement(By.id("fine-tunings")).isDisplayed() == fineTuningServed);
    browser.screenshot("models.png");
  }

  @Test
  void fineTuningJobsAreDrawnAsCurves() {
    // A fine-tuning in the shape GET /api/v1/fine-tunings/{id} answers (FineTuningView), answered in the
    // browser so that the test needs no minutes of training.
    String stub = """
        const job = {id: 'ft-1', state: 'SUCCEEDED', result: {model: 'digits', version: 3},
          progress: {epoch: 3, epochs: 3, batch: 100, batches: 100, loss: 0.47, trainingAccuracy: 0.7,
            elapsedSeconds: 30.2, etaSeconds: 0}, epochs: [
          {epoch: 1, loss: 0.92, cleanAccuracy: 0.90, robustAccuracy: 0.31},
          {epoch: 2, loss: 0.61, cleanAccuracy: 0.93, robustAccuracy: 0.52},
          {epoch: 3, loss: 0.47, cleanAccuracy: 0.94, robustAccuracy: 0.63}]};
        const real = window.fetch;
        window.fetch = (input, init) => {
          const url = String(input);
          if (!url.includes('/api/v1/fine-tunings')) return real(input, init);
          const body = url.includes('?model=digits') ? {items: [job]} : url.includes('?') ? {items: []} : job;
          return Promise.resolve(new Response(JSON.stringify(body), {headers: {'Content-Type': 'application/json'}}));
        };""";
    String script = browser.beforeEveryPage(stub);
    try {
      browser.open("#models");
      WebElement section = browser.await(Duration.ofSeconds(10), d -> {
        WebElement s = d.findElement(By.id("fine-tunings"));
        return s.isDisplayed() && !s.findElements(By.cssSelector("svg.curve")).isEmpty() ? s : null;
      });
      List<WebElement> curves = section.findElements(By.cssSelector("[data-job=ft-1] svg.curve"));
      assertThat(curves).hasSize(2);
      assertThat(curves.get(0).getDomAttribute("aria-label")).isEqualTo("Loss; last epoch: loss 0.47");
      assertThat(curves.get(1).getDomAttribute("aria-label")).isEqualTo("Accuracy; last epoch: clean 0.94, robust 0.63");
      assertThat(curves.get(1).findElements(By.tagName("path"))).hasSize(2);
      assertThat(section.getText()).contains("SUCCEEDED").contains("digits:3");
      assertThat(section.findElement(By.cssSelector("[data-job=ft-1] progress")).getDomProperty("value")).isEqualTo("1");
      browser.screenshot("models-fine-tuning.png");
    } finally {
      browser.removeBeforeEveryPage(script);
    }
  }

  @Test
  void anAttackCanBeRunWithTheKeyboardAlone() {
    browser.open("#attack");
    browser.await(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("#attack-params input")).isEmpty());
    tabTo("[data-sample='samples/digit-7.png']");
    new Actions(browser.driver()).sendKeys(Keys.SPACE).perform();
    browser.await(Duration.ofSeconds(10), d -> d.findElement(By.id("input-preview")).isDisplayed());
    tabTo("#attack-run");
    new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
    browser.await(Duration.ofSeconds(60), d -> !d.findElements(By.id("attack-verdict")).isEmpty()
        && d.findElement(By.id("attack-result")).isDisplayed());
    assertThat(browser.find(By.cssSelector("#fig-original .top1")).getText()).startsWith("7 ");
  }

  /** Presses Tab until the element matching {@code selector} has the focus (at most 80 times). */
  private static void tabTo(String selector) {
    for (int i = 0; i < 80; i++) {
      if (Boolean.TRUE.equals(browser.script("return document.activeElement.matches(arguments[0])", selector))) {
        return;
      }
      new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  @Test
  void everyControlHasAnAccessibleName() {
    for (String view : List.of("#attack", "#evaluations", "#models")) {
      browser.open(view);
      browser.await(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("#attack-params input")).isEmpty());
      @SuppressWarnings("unchecked")
      List<String> unnamed = (List<String>) browser.script("""
          return [...document.querySelectorAll('input, select, button, a[href]')]
            .filter(el => !el.closest('[hidden]'))
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
              && !el.getAttribute('aria-labelledby') && !el.textContent.trim())
            .map(el => el.outerHTML.slice(0, 80));""");
      assertThat(unnamed).as("controls without a name in " + view).isEmpty();
    }
  }

  private static void printFirstPaint() {
    Object paint = browser.script("const p = performance.getEntriesByName('first-contentful-paint')[0];"
        + " return p ? p.startTime : null;");
    System.out.println("lab page first contentful paint: " + paint + " ms");
  }

  /** The first of the held-out digits of {@code digit} (sorted by name). */
  private static Path digit(int digit) throws Exception {
    try (Stream<Path> files = Files.list(TestRequirements.digitsTestDir().resolve(String.valueOf(digit)))) {
      return files.sorted().findFirst().orElseThrow().toAbsolutePath();
    }
  }

  private static HttpApi.Response admin(String method, String path, String body) {
    return server.api().send(HttpRequest.newBuilder(URI.create(server.api().base() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
        .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }
}
