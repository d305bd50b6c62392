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
 * {@code .ci/run} installs them), with a fresh profile, for a test class's browser tests. Without the
 * background-networking flags Chromium's own connections are refused on the build machines.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** Where screenshots go: {@code -Deventplane.console.screenshots=../docs/console} refreshes the README's. */
  private static final Path SHOTS = Path.of(System.getProperty("eventplane.console.screenshots", "target/console-screenshots"));

  final ChromeDriver driver;
  private final Path profile;

  Browser() {
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
  public void close() {
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
