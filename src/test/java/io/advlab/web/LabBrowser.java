package io.advlab.web;

import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through ChromeDriver (Debian's {@code chromium} and
 * {@code chromium-driver}, found by {@link TestRequirements#assumeChromium()}; Selenium Manager is
 * never asked to download anything), with the waits and full-page screenshots the lab tests use.
 */
final class LabBrowser implements AutoCloseable {

  /** Where the screenshots go, for people to look at after a run. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final String base;

  LabBrowser(TestRequirements.Chromium chromium, String base) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.browser().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,1000", "--lang=en-US", "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromium.driver().toFile()).usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    this.base = base;
  }

  WebDriver driver() {
    return driver;
  }

  /** Opens the lab at {@code hash} (e.g. {@code #attack}) and waits until its scripts have started. */
  void open(String hash) {
    driver.get("about:blank"); // a fresh document even where only the hash differs
    driver.get(base + "/" + hash);
    await(Duration.ofSeconds(20), d -> "true".equals(find(By.tagName("body")).getDomAttribute("data-ready")));
  }

  WebElement find(By by) {
    return driver.findElement(by);
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  <T> T await(Duration limit, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, limit, Duration.ofMillis(100)).until(condition);
  }

  /** Types {@code text} into an input after clearing it. */
  void type(By by, String text) {
    WebElement input = find(by);
    input.clear();
    input.sendKeys(text);
  }

  void size(int width, int height) {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
  }

  /** Runs {@code source} in every page before its own scripts (Chrome DevTools, through ChromeDriver). */
  String beforeEveryPage(String source) {
    return (String) driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source))
        .get("identifier");
  }

  void removeBeforeEveryPage(String identifier) {
    driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", identifier));
  }

  /** A PNG of the whole page (not only the window) under target/screenshots/{@code name}. */
  Path screenshot(String name) {
    return capture(name, Map.of("format", "png", "captureBeyondViewport", true));
  }

  /** A PNG of one element, whole even where it reaches below the window. */
  Path screenshot(By element, String name) {
    @SuppressWarnings("unchecked")
    Map<String, Object> box = (Map<String, Object>) script("const r = arguments[0].getBoundingClientRect();"
        + " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, scale: 1};",
        find(element));
    return capture(name, Map.of("format", "png", "captureBeyondViewport", true, "clip", box));
  }

  private Path capture(String name, Map<String, Object> parameters) {
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", parameters);
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name);
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
