package io.storyline.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CanonicalUrlTest {

    @Test
    void lowerCasesSchemeAndHostButKeepsPathCase() {
        assertEquals("https://www.example.com/World/Story-1",
                CanonicalUrl.of("HTTPS://WWW.Example.COM/World/Story-1"));
    }

    @Test
    void dropsDefaultPortsOnly() {
        assertEquals("http://example.com/a", CanonicalUrl.of("http://example.com:80/a"));
        assertEquals("https://example.com/a", CanonicalUrl.of("https://example.com:443/a"));
        assertEquals("https://example.com:8443/a", CanonicalUrl.of("https://example.com:8443/a"));
        assertEquals("http://example.com:443/a", CanonicalUrl.of("http://example.com:443/a"));
        assertEquals("ftp://example.com:21/f", CanonicalUrl.of("ftp://Example.com:21/f"));
    }

    @Test
    void dropsTheFragment() {
        assertEquals("https://example.com/a?x=1",
                CanonicalUrl.of("https://example.com/a?x=1#top"));
        assertEquals("https://example.com/a", CanonicalUrl.of("https://example.com/a#"));
    }

    @Test
    void removesTrackingParametersAndKeepsOthersInOrder() {
        assertEquals("http://example.com/Path/To?b=2&a=1",
                CanonicalUrl.of("HTTP://Example.COM:80/Path/To?b=2&utm_source=x&a=1&FBCLID=3#f"));
        assertEquals("https://example.com/p?id=7&Page=2",
                CanonicalUrl.of("https://example.com/p?utm_medium=social&id=7&gclid=x"
                        + "&UTM_Campaign=y&xtor=RSS-1&Page=2&msclkid=z"));
    }

    @Test
    void removesMailchimpIdsAndReferrerTags() {
        assertEquals("https://example.com/a?id=3",
                CanonicalUrl.of("https://example.com/a?mc_cid=1&id=3&mc_eid=2&ref=homepage"));
        assertEquals("https://example.com/a?referrer=x&href=y",
                CanonicalUrl.of("https://example.com/a?referrer=x&href=y"));
    }

    @Test
    void dropsTheQueryWhenOnlyTrackingParametersRemain() {
        assertEquals("https://example.com/a",
                CanonicalUrl.of("https://example.com/a?utm_source=rss&fbclid=abc"));
        assertEquals("https://example.com/a", CanonicalUrl.of("https://example.com/a?"));
    }

    @Test
    void dropsEmptyParametersButKeepsEmptyValues() {
        assertEquals("https://example.com/p?a=&b", CanonicalUrl.of("https://example.com/p?a=&&b"));
    }

    @Test
    void addsARootPathAndKeepsEncodingAsWritten() {
        assertEquals("https://example.com/?p=42", CanonicalUrl.of("https://example.com?p=42"));
        assertEquals("https://example.com/a%20b?q=%C3%A9",
                CanonicalUrl.of("https://example.com/a%20b?q=%C3%A9"));
    }

    @Test
    void dropsUserInfoAndSurroundingSpace() {
        assertEquals("https://example.com/p", CanonicalUrl.of("  https://user@Example.com/p  "));
    }

    @Test
    void keepsIpv6Hosts() {
        assertEquals("http://[::1]/x", CanonicalUrl.of("http://[::1]:80/x"));
    }

    @Test
    void nullBlankAndGarbageGiveNull() {
        assertNull(CanonicalUrl.of(null));
        assertNull(CanonicalUrl.of(""));
        assertNull(CanonicalUrl.of("   "));
        assertNull(CanonicalUrl.of("not a url"));
        assertNull(CanonicalUrl.of("example.com/no-scheme"));
        assertNull(CanonicalUrl.of("mailto:desk@example.com"));
        assertNull(CanonicalUrl.of("/relative/path"));
        assertNull(CanonicalUrl.of("http://bad host/"));
    }

    @Test
    void dropsTheDefaultPortOfHostsWithUnderscores() {
        assertEquals("http://my_host.example.com/x",
                CanonicalUrl.of("http://my_host.example.com:80/x"));
    }

    @Test
    void aHomePageIdentifiesNoArticle() {
        assertNull(CanonicalUrl.of("https://example.com"));
        assertNull(CanonicalUrl.of("https://example.com/"));
        assertNull(CanonicalUrl.of("https://example.com/?utm_source=rss"));
    }

    @Test
    void anOverlongPortIsNoCrash() {
        assertEquals("http://a_b:99999999999/x", CanonicalUrl.of("http://a_b:99999999999/x"));
    }
}
