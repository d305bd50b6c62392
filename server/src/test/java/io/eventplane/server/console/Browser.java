package io.eventplane.server.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Debian Chromium driven by Debian's chromedriver (apt {@code chromium chromium-driver};
 * {@code .ci/run} installs them), with a fresh profile, for a test class's browser tests: registered
 * after the class's server ({@code @RegisterExtension static final Browser browser = new Browser(server)}),
 * it starts before the class's tests, leaves each test's page (closing its live streams before the next
 * reset) and quits after them. Without the background-networking flags Chromium's own connections are
 * refused on the build machines.
 */
final class Browser implements org.junit.jupiter.api.extension.BeforeAllCallback,
    org.junit.jupiter.api.extension.AfterEachCallback, org.junit.jupiter.api.extension.AfterAllCallback {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** Where screenshots go: {@code -Deventplane.console.screenshots=../docs/console} refreshes the README's. */
  private static final Path SHOTS = Path.of(System.getProperty("eventplane.console.screenshots", "target/console-screenshots"));

  private final io.eventplane.server.EmbeddedServer server;
  ChromeDriver driver;
  private Path profile;

  Browser(io.eventplane.server.EmbeddedServer server) {
    this.server = server;
  }

  @Override
  public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException("the console's browser tests need Debian's chromium and chromium-driver: "
          + "apt-get install -y chromium chromium-driver");
    }
    try {
      profile = Files.createTempDirectory("eventplane-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1280,1100", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
  }

  /** A console page's URL on the class's server. */
  String console(String path) {
    return server.endpoint().resolve(ConsolePages.PREFIX + path).toString();
  }

  org.openqa.selenium.WebElement find(String css) {
    return driver.findElement(org.openqa.selenium.By.cssSelector(css));
  }

  org.openqa.selenium.WebElement awaitElement(String css) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> !driver.findElements(org.openqa.selenium.By.cssSelector(css)).isEmpty());
    return find(css);
  }

  /** An attribute (or, for null, the text) of what a live stream keeps replacing, read in one go (no stale element). */
  String live(String css, String attribute) {
    Object value = driver.executeScript("const e = document.querySelector(arguments[0]);"
        + " return e == null ? null : arguments[1] == null ? e.textContent.trim() : e.getAttribute(arguments[1]);", css, attribute);
    return value == null ? null : value.toString();
  }

  /** No browser console errors since the last look, every input labelled, one h1. */
  void assertCleanPage() {
    org.assertj.core.api.Assertions.assertThat(consoleErrors()).as("browser console errors").isEmpty();
    org.assertj.core.api.Assertions.assertThat(unlabelledInputs()).as("inputs without a label").isEmpty();
    org.assertj.core.api.Assertions.assertThat(driver.findElements(org.openqa.selenium.By.tagName("h1"))).hasSize(1);
  }

  /** The browser console's errors (and CSP refusals) since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::toString).toList();
  }

  /** Inputs that no label names (a screen reader could not say what they are for). */
  @SuppressWarnings("unchecked")
  List<String> unlabelledInputs() {
    return (List<String>) ((JavascriptExecutor) driver).executeScript(
        "return Array.from(document.querySelectorAll('input:not([type=hidden]), textarea, select'))"
            + ".filter(e => !e.labels || e.labels.length === 0).map(e => e.outerHTML);");
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      driver.executeScript("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur();");
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
    if (driver != null) driver.get("about:blank");
  }

  @Override
  public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
    if (driver == null) return;
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A profile left in the temp dir is harmless.
      }
    }
  }
}
