package io.storyline.article;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an article's {@code published} value in the forms that feeds and exports write:
 * ISO-8601 (with or without an offset, or a date alone), RFC 822/1123, and epoch seconds or
 * milliseconds. A time without a zone is taken as UTC.
 */
final class PublishedTime {

    /** News times outside these years are typos (and far ones overflow epoch milliseconds). */
    static final int MIN_YEAR = 1800;
    static final int MAX_YEAR = 2200;

    /**
     * Epoch values from here on are milliseconds: as seconds they would be past the year 5000,
     * and milliseconds below it are before March 1973, older than any feed.
     */
    private static final BigDecimal FIRST_MILLIS = BigDecimal.TEN.pow(11);
    /** Far inside Instant's range and far outside the years: absurd epochs fail the year check. */
    private static final BigDecimal EPOCH_LIMIT = BigDecimal.TEN.pow(15);

    /** Date, then optionally a time ('T' or a space before it), then optionally an offset. */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendPattern("['T'][' ']")
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    /**
     * RFC 1123 widened to RFC 822 as feeds write it: the day of the week and seconds optional,
     * two-digit years, the named zones and numeric offsets.
     */
    private static final DateTimeFormatter RFC_822 = rfc822();

    private PublishedTime() {
    }

    /**
     * The time {@code value} holds: a JSON string or number; null when it is absent, null or
     * blank.
     *
     * @throws DateTimeException when it is unreadable; the message starts with the value as
     *                           JSON text, and says why when it is not simply an unknown form
     */
    static Instant parse(JsonNode value) {
        if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            return null;
        }
        Instant time;
        if (value.isNumber()) {
            time = epoch(value.decimalValue());
        } else if (value.isTextual()) {
            time = read(value.asText().strip());
        } else {
            throw new DateTimeException(value + " is not a string or a number");
        }
        if (time == null) {
            throw new DateTimeException(value.toString());
        }
        int year = time.atOffset(ZoneOffset.UTC).getYear();
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new DateTimeException(value + " is outside the years " + MIN_YEAR + "-"
                    + MAX_YEAR);
        }
        return time;
    }

    /** The time in {@code text}, or null when no form fits it. */
    private static Instant read(String text) {
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return epoch(new BigDecimal(text));
        }
        try {
            TemporalAccessor time = ISO.parseBest(text, OffsetDateTime::from,
                    LocalDateTime::from, LocalDate::from);
            if (time instanceof OffsetDateTime t) {
                return t.toInstant();
            }
            if (time instanceof LocalDateTime t) {
                return t.toInstant(ZoneOffset.UTC);
            }
            return ((LocalDate) time).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException notIso) {
            try {
                return RFC_822.parse(text, OffsetDateTime::from).toInstant();
            } catch (DateTimeException notRfc822) {
                return null;
            }
        }
    }

    /** Seconds, or milliseconds from {@link #FIRST_MILLIS} on; fractions are kept to the nano. */
    private static Instant epoch(BigDecimal number) {
        BigDecimal seconds = number.compareTo(FIRST_MILLIS) < 0 ? number : number.movePointLeft(3);
        seconds = seconds.max(EPOCH_LIMIT.negate()).min(EPOCH_LIMIT);
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    /**
     * The zone names of RFC 822, longest first so that "UT" does not stop "UTC" short.
     * {@link DateTimeFormatter#RFC_1123_DATE_TIME} knows only GMT, and zone-text parsing reads
     * "EST" as a region with summer time, so the table is written out here.
     */
    private static Map<String, ZoneOffset> zones() {
        Map<String, ZoneOffset> zones = new LinkedHashMap<>();
        zones.put("UTC", ZoneOffset.UTC);
        zones.put("GMT", ZoneOffset.UTC);
        zones.put("EST", ZoneOffset.ofHours(-5));
        zones.put("EDT", ZoneOffset.ofHours(-4));
        zones.put("CST", ZoneOffset.ofHours(-6));
        zones.put("CDT", ZoneOffset.ofHours(-5));
        zones.put("MST", ZoneOffset.ofHours(-7));
        zones.put("MDT", ZoneOffset.ofHours(-6));
        zones.put("PST", ZoneOffset.ofHours(-8));
        zones.put("PDT", ZoneOffset.ofHours(-7));
        zones.put("UT", ZoneOffset.UTC);
        zones.put("Z", ZoneOffset.UTC);
        return zones;
    }

    private static DateTimeFormatter rfc822() {
        DateTimeFormatterBuilder rfc = new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern("[EEE, ]d MMM ")
                // RFC 2822 reads two-digit years 50-99 as 19xx and 00-49 as 20xx.
                .appendValueReduced(ChronoField.YEAR, 2, 4, 1950)
                .appendPattern(" HH:mm[:ss] ");
        // A zone name only sets the offset; each one is tried, and at most one matches.
        zones().forEach((name, offset) -> rfc.optionalStart()
                .appendLiteral(name)
                .parseDefaulting(ChronoField.OFFSET_SECONDS, offset.getTotalSeconds())
                .optionalEnd());
        return rfc.optionalStart().appendOffset("+HHMM", "+0000").optionalEnd()
                .toFormatter(Locale.US)
                .withResolverStyle(ResolverStyle.STRICT);
    }
}
