package io.storyline.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * News-like RSS entries for the pipeline bench, each a pure function of (feed, entry number):
 * a server restarted on the same numbers serves the same bytes. Most entries are write-ups of
 * an event of their hour, sharing its names with the other write-ups (the story tier's work);
 * a share are wire stories carried by several feeds, word for word or with a feed's credit
 * line added (the copy tiers' work).
 */
final class SyntheticFeeds {

    /** Entry 0 of every feed is dated shortly after this; later ones follow the feed's pace. */
    static final Instant EPOCH = Instant.parse("2025-11-01T00:00:00Z");
    /** Share of entries that are a wire story rather than the feed's own write-up. */
    static final int SYNDICATED_PERCENT = 20;
    static final int MIN_WORDS = 80;
    static final int MAX_WORDS = 150;

    /** Wire stories released per slot: roughly ten feeds carry each at the default scale. */
    private static final long WIRE_SLOT_SECONDS = Duration.ofMinutes(10).toSeconds();
    private static final int WIRES_PER_SLOT = 32;
    private static final long EVENT_SLOT_SECONDS = Duration.ofHours(1).toSeconds();
    private static final int EVENTS_PER_SLOT = 400;
    private static final int NAMES_PER_EVENT = 8;
    /** Share of a write-up's words that name its event: enough for the stories to hold. */
    private static final double NAME_SHARE = 0.15;
    private static final long WIRE_SALT = 0x5DEECE66DL;
    private static final long EVENT_SALT = 0x2545F4914F6CDD1DL;

    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo",
        "ber", "dan", "fel", "gor", "hin", "jul", "mar", "nor", "pel", "quin", "ros", "tev"};
    /** The head of the vocabulary, most frequent first; made-up words form its long tail. */
    private static final String[] COMMON = ("the of and to in a on for that with said is was "
            + "by at as from it its after has have be will are were but not new more than "
            + "government minister officials city police state year people report week "
            + "president court market company public council last first two three million "
            + "percent according plan would could told statement local national country "
            + "health water energy prices workers school election party leader support "
            + "security data time days months since early later during while also before "
            + "under over into about against between among expected announced reported "
            + "confirmed warned agreed rejected called raised cut opened closed began ended "
            + "meeting talks deal agreement vote budget tax bill law rules policy program "
            + "service services system network project funds funding costs growth jobs "
            + "trade exports imports bank rates inflation economy region area border coast "
            + "river bridge road rail airport port hospital university students teachers "
            + "families residents community village town capital north south east west "
            + "central regional federal officers investigation case trial judge lawyers "
            + "evidence witnesses victims fire storm flood rain snow heat damage emergency "
            + "crews rescue repairs power outage homes buildings housing rent owners tenants "
            + "farmers crops harvest food supply shortage demand sales shares investors "
            + "profits losses quarter results board chief executive director spokesperson "
            + "group groups members union strike protest crowd march square street district "
            + "team season match coach players fans win loss final record title league "
            + "museum festival concert film book artist award science research study "
            + "scientists climate carbon emissions solar wind plant plants factory").split(" ");
    private static final int MADE_UP = 6_000;

    /**
     * One entry as the feed lists it.
     *
     * @param description plain text of {@link #MIN_WORDS}–{@link #MAX_WORDS} words (plus a
     *                    credit line on some copies), no markup
     */
    record Entry(String guid, String title, String link, String description,
            Instant published) {
    }

    /** Word ranks by quantile: a table lookup per word, where a search was most of the cost. */
    private static final int QUANTILES = 1 << 18;

    private final String[] words;
    private final int[] byQuantile = new int[QUANTILES];

    SyntheticFeeds() {
        words = vocabulary();
        double[] zipf = new double[words.length];
        double sum = 0;
        for (int r = 0; r < words.length; r++) {
            sum += 1.0 / (r + 1);
            zipf[r] = sum;
        }
        int rank = 0;
        for (int q = 0; q < QUANTILES; q++) {
            double u = (q + 0.5) / QUANTILES * sum;
            while (zipf[rank] < u) {
                rank++;
            }
            byQuantile[q] = rank;
        }
    }

    /**
     * When entry {@code number} of {@code feed} was published: feeds post every 30, 60, 90 or
     * 120 minutes, each at its own offset, so 20 entries span 10 to 38 hours (well inside the
     * engine's 72-hour window) and the feeds interleave.
     */
    static Instant published(int feed, int number) {
        long spacing = Duration.ofMinutes(30L * (1 + feed % 4)).toSeconds();
        long offset = Math.floorMod(feed * 7919L, spacing);
        return EPOCH.plusSeconds(offset + number * spacing);
    }

    /** The RFC 1123 form of a time, as pubDate and Last-Modified carry it. */
    static String httpDate(Instant t) {
        return RFC_1123.format(t);
    }

    private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile(
            "https://feed(\\d{1,9})\\.example/news/(\\d{1,9})\\.html");

    /**
     * The feed and entry number of an entry's link, as {@code feed << 32 | number}, or -1 for
     * a link not made here.
     */
    static long entryOf(String link) {
        java.util.regex.Matcher m = link == null ? null : LINK.matcher(link);
        if (m == null || !m.matches()) {
            return -1;
        }
        return Long.parseLong(m.group(1)) << 32 | Long.parseLong(m.group(2));
    }

    Entry entry(int feed, int number) {
        Instant published = published(feed, number);
        long h = mix(feed * 0x9E3779B97F4A7C15L + number);
        String guid = "bench-feed-" + feed + "-entry-" + number;
        String link = "https://feed" + feed + ".example/news/" + number + ".html";
        if (Math.floorMod(h >>> 40, 100) < SYNDICATED_PERCENT) {
            long slot = published.getEpochSecond() / WIRE_SLOT_SECONDS;
            long wire = slot * WIRES_PER_SLOT + Math.floorMod(h >>> 8, WIRES_PER_SLOT);
            SplittableRandom r = new SplittableRandom(mix(wire ^ WIRE_SALT));
            String[] names = names(r);
            String title = title(r, names);
            String text = text(r, names);
            if (((h >>> 20) & 1) == 1) {
                // The feed's own credit line: a near-duplicate rather than an exact one.
                text += " Additional reporting by the feed " + feed + " newsroom staff.";
            }
            if (((h >>> 21) & 1) == 1) {
                title = title(new SplittableRandom(h), names);
            }
            return new Entry(guid, title, link, text, published);
        }
        long slot = published.getEpochSecond() / EVENT_SLOT_SECONDS;
        SplittableRandom r = new SplittableRandom(h);
        double u = r.nextDouble();
        // Squared: a few events of each hour draw many write-ups, most draw a handful.
        long event = slot * EVENTS_PER_SLOT + (long) (EVENTS_PER_SLOT * u * u);
        String[] names = names(new SplittableRandom(mix(event ^ EVENT_SALT)));
        return new Entry(guid, title(r, names), link, text(r, names), published);
    }

    /**
     * The RSS 2.0 document of {@code feed} when {@code count} entries have been published:
     * the latest {@code shown} of them, newest first.
     */
    byte[] rss(int feed, int count, int shown) {
        StringBuilder out = new StringBuilder(512 + shown * 1100);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<rss version=\"2.0\"><channel>\n<title>Bench feed ").append(feed)
                .append("</title>\n<link>https://feed").append(feed).append(".example/</link>")
                .append("\n<description>Synthetic news for the Storyline pipeline bench")
                .append("</description>\n<language>en</language>\n");
        for (int n = count - 1; n >= Math.max(0, count - shown); n--) {
            Entry e = entry(feed, n);
            out.append("<item>\n<guid isPermaLink=\"false\">").append(e.guid())
                    .append("</guid>\n<title>").append(escape(e.title()))
                    .append("</title>\n<link>").append(e.link())
                    .append("</link>\n<pubDate>").append(httpDate(e.published()))
                    .append("</pubDate>\n<description>").append(escape(e.description()))
                    .append("</description>\n</item>\n");
        }
        out.append("</channel></rss>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Made-up proper names of one event or wire story, unlikely to recur elsewhere. */
    private static String[] names(SplittableRandom r) {
        String[] names = new String[NAMES_PER_EVENT];
        for (int i = 0; i < names.length; i++) {
            StringBuilder name = new StringBuilder();
            int syllables = 3 + r.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                name.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
            names[i] = name.toString();
        }
        return names;
    }

    private String title(SplittableRandom r, String[] names) {
        List<String> title = new ArrayList<>();
        int length = 6 + r.nextInt(6);
        int at = r.nextInt(length - 1);
        for (int i = 0; i < length; i++) {
            title.add(i == at || i == at + 1 ? names[r.nextInt(3)] : word(r));
        }
        return capitalized(String.join(" ", title));
    }

    private String text(SplittableRandom r, String[] names) {
        int total = MIN_WORDS + r.nextInt(MAX_WORDS - MIN_WORDS + 1);
        StringBuilder out = new StringBuilder(total * 8);
        int inSentence = 0;
        int sentence = 8 + r.nextInt(11);
        for (int i = 0; i < total; i++) {
            String w = r.nextDouble() < NAME_SHARE ? names[r.nextInt(names.length)] : word(r);
            if (inSentence == 0) {
                out.append(out.length() == 0 ? "" : " ").append(capitalized(w));
            } else {
                out.append(inSentence % 7 == 6 && r.nextBoolean() ? ", " : " ").append(w);
            }
            if (++inSentence == sentence || i == total - 1) {
                out.append('.');
                inSentence = 0;
                sentence = 8 + r.nextInt(11);
            }
        }
        return out.toString();
    }

    /** A word of the vocabulary, by its Zipf frequency (exponent 1). */
    private String word(SplittableRandom r) {
        return words[byQuantile[r.nextInt(QUANTILES)]];
    }

    private static String[] vocabulary() {
        String[] out = new String[COMMON.length + MADE_UP];
        Set<String> seen = new HashSet<>(List.of(COMMON));
        System.arraycopy(COMMON, 0, out, 0, COMMON.length);
        SplittableRandom r = new SplittableRandom(20251101);
        int i = COMMON.length;
        while (i < out.length) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + r.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            if (seen.add(w.toString())) {
                out[i++] = w.toString();
            }
        }
        return out;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** SplitMix64's finaliser: neighbouring (feed, number) pairs get unrelated bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
