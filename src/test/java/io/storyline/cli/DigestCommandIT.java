package io.storyline.cli;

import static io.storyline.view.Records.assignment;
import static io.storyline.view.Records.bytes;
import static io.storyline.view.Records.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.storyline.pipeline.KafkaCluster;
import io.storyline.pipeline.Topics;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storyline digest --subscriber --date} end to end: a real embedded broker holding a
 * scripted two-day stream of output records, and GreenMail as the SMTP server on 127.0.0.1.
 */
class DigestCommandIT {

    private static final String ED = "ed@example.org";
    /** The two digest days: the day before yesterday and yesterday, at 07:00 UTC. */
    private static final LocalDate DAY1 = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    private static final LocalDate DAY2 = DAY1.plusDays(1);
    private static final Instant AT1 = DAY1.atTime(LocalTime.of(7, 0)).toInstant(ZoneOffset.UTC);
    private static final Instant AT2 = AT1.plus(Duration.ofDays(1));

    @TempDir
    Path dir;
    private KafkaCluster cluster;
    private GreenMail smtp;
    private Path subscribers;
    private long seq;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        cluster = DigestTestKit.cluster(dir);
        smtp = DigestTestKit.smtp();
        subscribers = dir.resolve("digests.yaml");
        Files.writeString(subscribers, """
                subscribers:
                  - email: ed@example.org
                    name: Ed
                    send-at: "07:00"
                    zone: UTC
                    stories: 5
                    dashboard-url: http://127.0.0.1:8080/
                """);
        script();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        cluster.close();
    }

    /** Day one: s1 with a copy and three sources, s2 quieter. Day two: s1 grows, s5 is new. */
    private void script() throws Exception {
        Map<String, Object> p = cluster.clientProperties();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p,
                new StringSerializer(), new ByteArraySerializer())) {
            article(producer, "a1", "s1", null, AT1.minusSeconds(1800), "Wire",
                    "Quake <script>alert(1)</script> hits Kyiv", 1, List.of("Wire"));
            article(producer, "a2", "s1", "a1", AT1.minusSeconds(1740), "Daily",
                    "Quake hits Kyiv (copy)", 2, List.of("Wire", "Daily"));
            article(producer, "a3", "s1", null, AT1.minusSeconds(1680), "Herald",
                    "Aftershocks in Kyiv", 3, List.of("Wire", "Daily", "Herald"));
            article(producer, "b1", "s2", null, AT1.minus(Duration.ofHours(10)), "Wire",
                    "Floods in Valencia", 1, List.of("Wire"));
            article(producer, "a4", "s1", null, AT2.minus(Duration.ofHours(2)), "Agence",
                    "Kyiv counts the damage", 4, List.of("Wire", "Daily", "Herald", "Agence"));
            article(producer, "e1", "s5", null, AT2.minus(Duration.ofHours(3)), "Courrier",
                    "Election in Lisbon", 1, List.of("Courrier"));
            producer.flush();
        }
    }

    private void article(KafkaProducer<String, byte[]> producer, String id, String story,
            String copyOf, Instant fetched, String source, String title, int size,
            List<String> sources) throws Exception {
        seq++;
        producer.send(new ProducerRecord<>(Topics.ASSIGNMENTS, id,
                bytes(assignment(id, story, copyOf, seq, fetched, source, title)))).get();
        producer.send(new ProducerRecord<>(Topics.STORIES, story, bytes(story(story, "open",
                size, copyOf == null ? 0 : 1, "Headline " + story, seq, fetched, sources,
                List.of(), null)))).get();
    }

    private int digest(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--subscribers",
                subscribers.toString()));
        all.addAll(List.of(args));
        return DigestTestKit.run(cluster.bootstrapServers(), smtp.getSmtp().getPort(), out, err,
                all.toArray(String[]::new));
    }

    private MimeMessage received(int count) {
        assertTrue(smtp.waitForIncomingEmail(Duration.ofSeconds(60).toMillis(), count),
                "no mail arrived; err: " + err);
        return smtp.getReceivedMessages()[count - 1];
    }

    private static Document html(MimeMessage m) throws Exception {
        assertTrue(m.isMimeType("multipart/alternative"), m.getContentType());
        Multipart parts = (Multipart) m.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String text = (String) parts.getBodyPart(0).getContent();
        assertTrue(text.contains("1. Headline s1"), text);
        return Jsoup.parse((String) parts.getBodyPart(1).getContent());
    }

    @Test
    void sendsEachDaysTopStoriesAsStories() throws Exception {
        assertEquals(0, digest("--subscriber", ED, "--date", DAY1.toString()), err.toString());
        MimeMessage first = received(1);
        assertEquals("Ed <" + ED + ">", first.getAllRecipients()[0].toString());
        assertTrue(first.getSubject().endsWith(": 2 stories"), first.getSubject());
        Document one = html(first);
        // s1 counted as of day one: three articles (the copy among them), not four.
        assertEquals(List.of("Headline s1 (new)", "Headline s2 (new)"),
                one.select("ol li").eachText());
        assertTrue(one.text().contains("3 articles, 3 sources"), one.text());
        assertEquals(0, one.select("script").size());

        assertEquals(0, digest("--subscriber", ED, "--date", DAY2.toString()), err.toString());
        Document two = html(received(2));
        // s1 was in day one's digest, recorded with 3 articles and 3 sources; s2 did not grow.
        assertEquals(List.of("Headline s1 (updated: +1 article, +1 source)",
                "Headline s5 (new)"), two.select("ol li").eachText());
        assertTrue(two.text().contains("4 articles, 4 sources"), two.text());
    }

    @Test
    void aDigestSentIsRefusedAfterwardsUnlessResent() throws Exception {
        assertEquals(0, digest("--subscriber", ED, "--date", DAY1.toString()), err.toString());
        received(1);
        assertEquals(1, digest("--subscriber", ED, "--date", DAY1.toString()));
        assertTrue(err.toString().contains("error: the digest of " + ED + " for " + DAY1
                + " is sent since "), err.toString());
        assertTrue(err.toString().strip().endsWith(": not sent again; --resend sends it "
                + "anyway"), err.toString());
        assertEquals(1, smtp.getReceivedMessages().length);

        assertEquals(0, digest("--resend", "--subscriber", ED, "--date", DAY1.toString()),
                err.toString());
        received(2);
        // A resend shows what the first one showed: markers measure against earlier dates.
        assertEquals(html(smtp.getReceivedMessages()[0]).select("ol li").eachText(),
                html(smtp.getReceivedMessages()[1]).select("ol li").eachText());
    }

    @Test
    void aDryRunWritesTheMessageAndItsHtmlAndSendsNothing() throws Exception {
        Path previews = dir.resolve("previews");
        assertEquals(0, digest("--subscriber", ED, "--date", DAY1.toString(), "--dry-run",
                "--out", previews.toString()), err.toString());
        Path eml = previews.resolve(ED + "-" + DAY1 + ".eml");
        Path page = previews.resolve(ED + "-" + DAY1 + ".html");
        MimeMessage m = new MimeMessage(jakarta.mail.Session.getInstance(new Properties()),
                new ByteArrayInputStream(Files.readAllBytes(eml)));
        assertEquals(html(m).select("ol li").eachText(),
                Jsoup.parse(Files.readString(page)).select("ol li").eachText());
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void anEmptyDigestIsNotSent() {
        LocalDate quiet = DAY1.minusDays(3);
        assertEquals(0, digest("--subscriber", ED, "--date", quiet.toString()), err.toString());
        assertEquals("digest of " + ED + " for " + quiet + " is empty: not sent",
                out.toString().strip());
        assertEquals(0, smtp.getReceivedMessages().length);
    }
}
