package io.storyline.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.Article;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) against the real pipeline: the sample stories are listed, a new
 * article appears without a reload, copies fold under their original, keyboard navigation
 * works, and a feed whose title carries markup does nothing.
 */
class BrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Markup in a feed's title and text arrives as text after the detector decodes it. */
    private static final Article XSS = new Article("xss-1", "javascript:window.__xss=3",
            "Evil Feed <b>", "en",
            "&lt;img src=x onerror=\"window.__xss=1\"&gt; Storm warning "
                    + "&lt;script&gt;window.__xss=2&lt;/script&gt;",
            "&lt;script&gt;window.__xss=4&lt;/script&gt; A storm is coming to the coast. "
                    + "Residents are told to stay inside.",
            Instant.parse("2026-12-02T06:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void thePageListsStoriesLiveFoldsCopiesAndShowsFeedMarkupAsText() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver "
                        + "(apt-get install -y chromium chromium-driver)");
        try (DashboardStack stack = DashboardStack.withoutIngestor(dir)) {
            List<Article> sample = DashboardStack.sample();
            stack.publish(sample);
            stack.await("/api/health", h -> h.get("articles").asInt() == 17
                    && h.get("stories").asInt() == 5);

            WebDriver driver = chrome();
            try {
                driver.get("http://127.0.0.1:" + stack.port() + "/");
                WebDriverWait wait = new WebDriverWait(driver, WAIT);
                wait.until(d -> d.findElements(By.cssSelector("#stories li.story")).size() == 5);
                String list = driver.findElement(By.id("stories")).getText();
                for (Article a : sample) {
                    if (a.id().startsWith("seed-")) {
                        assertTrue(list.contains(a.title()), a.title() + " in\n" + list);
                    }
                }
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"),
                        "live"));
                // The sample as the README shows it (docs/dashboard.png is a copy).
                Path shots = Path.of("target", "screenshots");
                Files.createDirectories(shots);
                Files.write(shots.resolve("dashboard.png"),
                        ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));

                // Live: new articles show up without a reload, the fixture's markup as text.
                js(driver).executeScript("window.__sameDocument = true;");
                stack.publish(List.of(XSS, new Article("live-1", "https://live.example/quake",
                        "Live Wire", "fr", "Séisme de magnitude 6,1 au large de Brest",
                        "Un séisme de magnitude 6,1 a été ressenti dans tout le Finistère.",
                        Instant.now())));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stories"),
                        "Séisme de magnitude 6,1 au large de Brest"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stories"),
                        "Storm warning"));
                assertEquals(Boolean.TRUE, js(driver).executeScript(
                        "return window.__sameDocument === true;"));
                inert(driver, driver.findElement(By.id("stories")).getText());
                Files.write(shots.resolve("live.png"),
                        ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));

                storyView(driver, wait);
                keyboard(driver, wait);

                driver.get("http://127.0.0.1:" + stack.port() + "/#/feeds");
                wait.until(d -> d.findElements(By.cssSelector("#feeds tbody tr")).size() >= 7);
                Files.write(shots.resolve("feeds.png"),
                        ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
                inert(driver, driver.findElement(By.id("feeds")).getText());
            } finally {
                driver.quit();
            }
            assertNull(stack.fatal());
        }
    }

    /** The fixture's markup is shown as text and ran nothing; its javascript: URL no link. */
    private static void inert(WebDriver driver, String text) {
        assertNull(js(driver).executeScript("return window.__xss;"), "markup from a feed ran");
        assertTrue(driver.findElements(By.cssSelector("main img, main script")).isEmpty());
        for (WebElement a : driver.findElements(By.cssSelector("main a[href]"))) {
            String href = a.getAttribute("href");
            assertTrue(href.startsWith("http://") || href.startsWith("https://"), href);
        }
        if (text.contains("Storm warning")) {
            assertTrue(text.contains("<img src=x onerror=\"window.__xss=1\"> Storm warning "
                    + "<script>window.__xss=2</script>"), text);
        }
    }

    private static void storyView(WebDriver driver, WebDriverWait wait) throws Exception {
        WebElement story = driver.findElements(By.cssSelector("#stories li.story")).stream()
                .filter(li -> li.getText().contains("Kharkiv")).findFirst().orElseThrow();
        story.click();
        wait.until(d -> !d.findElements(By.cssSelector("#story ul.copies li.copy")).isEmpty());
        List<WebElement> originals = driver.findElements(
                By.cssSelector("#story ul.articles > li.article"));
        int copies = driver.findElements(By.cssSelector("#story li.article ul.copies li.copy"))
                .size();
        assertTrue(copies >= 1);
        assertEquals(copies + originals.size(), driver.findElements(
                By.cssSelector("#story li.article, #story li.copy")).size());
        assertTrue(driver.findElement(By.id("story")).getText().contains("Jaccard"));
        Files.write(Path.of("target", "screenshots", "story.png"),
                ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stories")));
    }

    private static void keyboard(WebDriver driver, WebDriverWait wait) {
        new Actions(driver).sendKeys("j").perform();
        new Actions(driver).sendKeys("j").perform();
        new Actions(driver).sendKeys("k").perform();
        List<WebElement> items = driver.findElements(By.cssSelector("#stories li.story"));
        assertTrue(items.get(0).getAttribute("class").contains("selected"));
        String id = items.get(0).getAttribute("data-id");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(d -> id.equals(d.findElement(By.id("story")).getAttribute("data-id")));
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("story-view")));
    }

    private static JavascriptExecutor js(WebDriver driver) {
        return (JavascriptExecutor) driver;
    }

    /** Headless Chromium with explicit binary and driver paths and a fresh profile. */
    private WebDriver chrome() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
