package io.storyline.digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and checks the subscribers file ({@code config/digests.yaml}): every error names the
 * file, the subscriber (its position and email) and the key, and an unknown key is an error,
 * so a misspelt filter does not silently let everything through.
 */
public final class Subscribers {

    public static final Path DEFAULT_FILE = Path.of("config", "digests.yaml");
    /** Most subscribers in one file: the file is read whole, and every one is scheduled. */
    public static final int MAX_SUBSCRIBERS = 10_000;
    public static final int DEFAULT_STORIES = 10;
    public static final int MAX_STORIES = 50;
    /** Most entries in one filter list. */
    public static final int MAX_FILTER_ENTRIES = 100;
    static final int MAX_TEXT = 200;

    private static final YAMLMapper YAML = new YAMLMapper();
    // Deliberately simple: the SMTP server has the last word; this catches typos and header
    // injection (no spaces, no line breaks).
    private static final String ATOM = "[^@\\s<>,;\"]+";
    private static final Pattern EMAIL = Pattern.compile(ATOM + "@" + ATOM + "\\." + ATOM);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm");
    private static final DateTimeFormatter TIME_OUT = DateTimeFormatter.ofPattern("HH:mm");
    private static final Set<String> TOP = Set.of("subscribers");
    private static final Set<String> KEYS = new TreeSet<>(List.of("email", "name", "send-at",
            "zone", "stories", "dashboard-url", "filters"));
    private static final Set<String> FILTER_KEYS = new TreeSet<>(List.of("languages",
            "sources", "keywords", "min-sources"));

    private Subscribers() {
    }

    /** The subscribers of {@code file}, in file order. */
    public static List<Subscriber> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read subscribers file " + file, e);
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code origin} (a file name) starts every error message. */
    public static List<Subscriber> parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not valid YAML: "
                    + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new IllegalArgumentException(origin + ": must be a mapping with the key "
                    + "\"subscribers\"");
        }
        unknown(root, TOP, origin);
        JsonNode list = root.path("subscribers");
        if (!list.isArray()) {
            throw new IllegalArgumentException(origin + ": \"subscribers\" must be a list");
        }
        if (list.size() > MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException(origin + ": " + list.size() + " subscribers, "
                    + "more than " + MAX_SUBSCRIBERS);
        }
        List<Subscriber> out = new ArrayList<>();
        Set<String> emails = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Subscriber s = subscriber(list.get(i), origin, i + 1);
            if (!emails.add(s.email().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(where(origin, i + 1, s.email())
                        + "\"email\" is listed twice");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static Subscriber subscriber(JsonNode n, String origin, int position) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where(origin, position, null)
                    + "must be a mapping of " + String.join(", ", KEYS));
        }
        String email = n.path("email").isTextual() ? n.path("email").asText().strip() : null;
        String at = where(origin, position, email);
        unknown(n, KEYS, at);
        if (email == null || email.isEmpty()) {
            throw new BadSubscriber("email", at + "\"email\" is missing");
        }
        if (email.length() > MAX_TEXT || !EMAIL.matcher(email).matches()) {
            throw new BadSubscriber("email", at + "\"email\" must be an address such as "
                    + "editor@example.org, not '" + printable(email) + "'");
        }
        String name = n.has("name") ? text(n, "name", at) : email;
        JsonNode filters = n.path("filters");
        if (!filters.isMissingNode() && !filters.isNull() && !filters.isObject()) {
            throw new BadSubscriber("filters", at + "\"filters\" must be a mapping of "
                    + String.join(", ", FILTER_KEYS));
        }
        return new Subscriber(email, name, sendAt(n, at), zone(n, at),
                filter(filters, at), integer(n, "stories", DEFAULT_STORIES, 1, MAX_STORIES, at),
                dashboard(n, at));
    }

    /**
     * One subscriber given as a JSON object with the file's keys: a record of the topic
     * {@code storyline.subscribers} or the body of the admin API. {@code origin} (the topic and
     * key, or "request") starts every error message.
     *
     * @throws BadSubscriber naming the subscriber and the key at fault
     */
    public static Subscriber one(JsonNode n, String origin) {
        return subscriber(n, origin, 0);
    }

    /** {@code s} as a JSON object with the file's keys, which {@link #one} reads back. */
    public static ObjectNode json(Subscriber s) {
        ObjectNode n = YAML.createObjectNode();
        n.put("email", s.email());
        n.put("name", s.name());
        n.put("send-at", TIME_OUT.format(s.sendAt()));
        n.put("zone", s.zone().getId());
        n.put("stories", s.stories());
        n.put("dashboard-url", s.dashboardUrl().toString());
        ObjectNode f = n.putObject("filters");
        s.filter().languages().stream().sorted().forEach(f.putArray("languages")::add);
        s.filter().sources().stream().sorted().forEach(f.putArray("sources")::add);
        s.filter().keywords().forEach(f.putArray("keywords")::add);
        f.put("min-sources", s.filter().minSources());
        return n;
    }

    /** A key inside {@code filters} is named with its prefix: filters.min-sources. */
    private static String keyIn(String at, String key) {
        return at.endsWith("filters: ") ? "filters." + key : key;
    }

    private static String where(String origin, int position, String email) {
        boolean named = email != null && !email.isEmpty();
        return origin + ": subscriber" + (position > 0 ? " " + position : "")
                + (named ? " (" + printable(email) + ")" : "") + ": ";
    }

    /** Control characters shown escaped: a message is one log line, whatever the file holds. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static void unknown(JsonNode n, Set<String> known, String at) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new BadSubscriber(keyIn(at, key), at + (at.endsWith(": ") ? "" : ": ")
                        + "unknown key \"" + key + "\" (known: " + String.join(", ", known)
                        + ")");
            }
        }
    }

    private static String text(JsonNode n, String key, String at) {
        JsonNode v = n.path(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new BadSubscriber(key, at + "\"" + key + "\" must be a non-empty text");
        }
        String s = v.asText().strip();
        if (s.length() > MAX_TEXT || s.chars().anyMatch(Character::isISOControl)) {
            throw new BadSubscriber(key, at + "\"" + key + "\" must be one line of at most "
                    + MAX_TEXT + " characters");
        }
        return s;
    }

    private static LocalTime sendAt(JsonNode n, String at) {
        JsonNode v = n.path("send-at");
        if (v.isMissingNode()) {
            throw new BadSubscriber("send-at", at + "\"send-at\" is missing");
        }
        // Unquoted, a YAML 1.1 reader may take 7:00 for a number (sexagesimal 420).
        if (!v.isTextual()) {
            throw new BadSubscriber("send-at", at + "\"send-at\" must be a quoted local time "
                    + "such as \"07:00\", not " + v);
        }
        try {
            return LocalTime.parse(v.asText().strip(), TIME);
        } catch (DateTimeParseException e) {
            throw new BadSubscriber("send-at", at + "\"send-at\" must be a local time such as "
                    + "07:00, not '" + v.asText() + "'");
        }
    }

    private static ZoneId zone(JsonNode n, String at) {
        if (n.path("zone").isMissingNode()) {
            throw new BadSubscriber("zone", at + "\"zone\" is missing");
        }
        String z = text(n, "zone", at);
        // Region ids only: a fixed offset ("+01:00") would miss the DST changes.
        if (!z.contains("/") && !z.equals("UTC")) {
            throw badZone(at, z);
        }
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw badZone(at, z);
        }
    }

    private static IllegalArgumentException badZone(String at, String z) {
        return new BadSubscriber("zone", at + "\"zone\" must be an IANA time zone such as "
                + "Europe/Paris, not '" + z + "'");
    }

    private static URI dashboard(JsonNode n, String at) {
        if (n.path("dashboard-url").isMissingNode()) {
            throw new BadSubscriber("dashboard-url", at + "\"dashboard-url\" is missing");
        }
        String url = text(n, "dashboard-url", at);
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new URISyntaxException(url, "not an http(s) URL without query");
            }
            return url.endsWith("/") ? u : new URI(url + "/");
        } catch (URISyntaxException e) {
            throw new BadSubscriber("dashboard-url", at + "\"dashboard-url\" must be an "
                    + "http or https URL such as https://news.example.org/, not '" + url + "'");
        }
    }

    private static int integer(JsonNode n, String key, int defaultValue, int min, int max,
            String at) {
        JsonNode v = n.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min
                || v.asInt() > max) {
            throw new BadSubscriber(keyIn(at, key), at + "\"" + key
                    + "\" must be a whole number "
                    + "from " + min + " to " + max + ", not " + v);
        }
        return v.asInt();
    }

    private static DigestFilter filter(JsonNode f, String at) {
        if (f.isMissingNode() || f.isNull()) {
            return DigestFilter.none();
        }
        String fat = at + "filters: ";
        unknown(f, FILTER_KEYS, fat);
        return new DigestFilter(Set.copyOf(list(f, "languages", fat)),
                Set.copyOf(list(f, "sources", fat)), List.copyOf(list(f, "keywords", fat)),
                integer(f, "min-sources", 1, 1, 1000, fat));
    }

    /** A list of texts, lower case, without duplicates; a single text counts as a list. */
    private static Set<String> list(JsonNode f, String key, String at) {
        JsonNode v = f.path(key);
        Set<String> out = new LinkedHashSet<>();
        if (v.isMissingNode() || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            v = YAML.createArrayNode().add(v);
        }
        if (!v.isArray() || v.size() > MAX_FILTER_ENTRIES) {
            throw new BadSubscriber(keyIn(at, key), at + "\"" + key
                    + "\" must be a list of at most "
                    + MAX_FILTER_ENTRIES + " texts");
        }
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank() || e.asText().length() > MAX_TEXT) {
                throw new BadSubscriber(keyIn(at, key), at + "\"" + key
                        + "\" must hold non-empty "
                        + "texts, not " + e);
            }
            out.add(e.asText().strip().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
