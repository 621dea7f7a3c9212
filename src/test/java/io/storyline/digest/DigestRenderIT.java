package io.storyline.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storyline.article.Article;
import io.storyline.article.ArticleReader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Renders a digest of the seed sample (its five stories, copies counted in their story) in
 * a real headless Chromium and writes it as a PNG to {@code target/screenshots/digest.png}
 * (docs/digest.png is a copy, shown in the README).
 */
class DigestRenderIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The sample's stories as a digest: seeds with their copies, by gold cluster. */
    static Digest sampleDigest() throws Exception {
        List<Article> articles = new ArrayList<>();
        new ArticleReader(articles::add, p -> {
            throw new AssertionError(p);
        }).read(Path.of("seeds", "sample.jsonl"));
        Map<String, String> cluster = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("seeds", "gold.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            cluster.put(n.get("id").asText(), n.get("cluster").asText());
        }
        Subscriber ed = Subscribers.load(Path.of("config", "digests.yaml")).get(0);
        List<Digest.Item> items = new ArrayList<>();
        for (Article seed : articles) {
            if (!seed.id().equals(cluster.get(seed.id()))) {
                continue;
            }
            List<String> sources = new ArrayList<>();
            int size = 0;
            for (Article a : articles) {
                if (seed.id().equals(cluster.get(a.id()))) {
                    size++;
                    if (!sources.contains(a.source())) {
                        sources.add(a.source());
                    }
                }
            }
            // The first sentence-like line, as the detector's lead skips breadcrumbs.
            String text = java.util.Arrays.stream(seed.text().split("\n"))
                    .filter(l -> l.length() > 40 && !l.contains("»")).findFirst()
                    .orElse(seed.title());
            String lead = text.length() <= 300 ? text : text.substring(0, 300) + "…";
            boolean updated = items.size() == 1;
            items.add(new Digest.Item(seed.id(), seed.title(), ed.storyLink(seed.id()), lead,
                    seed.url(), sources, size, updated ? Digest.Marker.UPDATED
                            : Digest.Marker.NEW, updated ? 2 : 0, updated ? 1 : 0, 1.0));
        }
        LocalDate date = LocalDate.parse("2026-12-02");
        return new Digest(ed, new SendTime(date, date.atTime(LocalTime.of(7, 0))
                .atZone(ZoneId.of("Europe/Paris")).toInstant()), items);
    }

    @Test
    void theSampleDigestRendersInABrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver "
                        + "(apt-get install -y chromium chromium-driver)");
        Digest digest = sampleDigest();
        assertEquals(5, digest.items().size());
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Path page = shots.resolve("digest.html").toAbsolutePath();
        Files.writeString(page, DigestMail.html(digest), StandardCharsets.UTF_8);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=760,1600",
                "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(page.toUri().toString());
            new WebDriverWait(driver, Duration.ofSeconds(30))
                    .until(d -> d.findElements(By.cssSelector("ol li")).size() == 5);
            String text = driver.findElement(By.tagName("body")).getText();
            assertTrue(text.contains("updated: +2 articles, +1 source"), text);
            assertTrue(text.contains("Le Quotidien du Matin first, then"), text);
            byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(shots.resolve("digest.png"), png);
            assertTrue(png.length > 10_000, "a blank page? " + png.length + " bytes");
        } finally {
            driver.quit();
        }
    }
}
