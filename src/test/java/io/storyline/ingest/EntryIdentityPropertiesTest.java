package io.storyline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storyline.article.CanonicalUrl;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Entry identity on any input: an id or null without an exception, the same id for the same
 * entry however its link is dressed, and a canonical URL that is its own canonical form.
 */
class EntryIdentityPropertiesTest {

    private static final String FEED = "https://feed.example.com/rss";

    @Property(tries = 1000)
    void anyEntryGetsAnIdOrNullWithoutAnException(@ForAll String guid,
            @ForAll("urls") String link, @ForAll String title, @ForAll String text) {
        String id = EntryIdentity.articleId(FEED, guid, link, title, text, Instant.EPOCH);
        assertTrue(id == null || id.matches("a[0-9a-f]{16}"), id);
        assertNotNull(EntryIdentity.contentHash(title, text));
    }

    @Property(tries = 1000)
    void theCanonicalUrlIsItsOwnCanonicalForm(@ForAll("urls") String url) {
        String canonical = CanonicalUrl.of(url);
        if (canonical != null) {
            assertEquals(canonical, CanonicalUrl.of(canonical));
        }
    }

    @Property(tries = 1000)
    void trackingParametersAndFragmentsDoNotChangeTheId(@ForAll("urls") String url) {
        String canonical = CanonicalUrl.of(url);
        if (canonical == null || url.contains("#")) {
            return; // no article link, or the parameters would land in the fragment
        }
        String dressed = url.strip() + (url.contains("?") ? "&" : "?")
                + "utm_source=rss&fbclid=x#top";
        assertEquals(EntryIdentity.articleId(FEED, null, url, "t", "", null),
                EntryIdentity.articleId(FEED, null, dressed, "t", "", null));
    }

    @Property(tries = 500)
    void visibleTextIsStableUnderMarkupAndSpacing(@ForAll("words") String words) {
        String html = "<p>" + words.replace(" ", " \n <b></b>") + "</p>";
        assertEquals(EntryIdentity.contentHash("t", words),
                EntryIdentity.contentHash("t", html));
    }

    /** URL-like strings: real shapes with odd hosts, ports, paths, queries, and noise. */
    @Provide
    Arbitrary<String> urls() {
        Arbitrary<String> scheme = Arbitraries.of("http", "https", "HTTP", "ftp", "file",
                "javascript", "");
        Arbitrary<String> host = Arbitraries.of("example.com", "EXAMPLE.com", "a_b.example",
                "127.0.0.1", "[::1]", "xn--caf-dma.example", "", "user@host.example",
                "h.example:80", "h.example:443", "h.example:8080", "h.example:99999");
        Arbitrary<String> path = Arbitraries.strings().withChars("abc/%?=&#.;-_~é ")
                .ofMaxLength(20);
        Arbitrary<String> shaped = Combinators.combine(scheme, host, path)
                .as((s, h, p) -> s + "://" + h + "/" + p);
        return Arbitraries.oneOf(shaped, Arbitraries.strings().ofMaxLength(30));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().ofMinSize(1)
                .ofMaxSize(10).map(l -> String.join(" ", l));
    }
}
