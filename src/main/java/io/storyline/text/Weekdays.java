package io.storyline.text;

import com.carrotsearch.hppc.LongIntHashMap;
import java.util.List;

/**
 * The days of the week an article names ({@link Analysis#weekdays}), as a mask of seven bits (bit 0 = Monday), in English
 * and French. News writes when things happened by weekday ("struck on Thursday", "a voté
 * mardi"), so two write-ups of one occurrence name the same day or the next one, while one
 * topic's successive events (a vow on Wednesday, ground attacks on Friday) name days apart.
 * A story tier that compares masks tells those events apart where the words cannot.
 *
 * <p>Days are read from the article's terms, so they come stemmed and folded as the vocabulary
 * keys them: {@code Thursday}, {@code thursday's} and {@code jeudi} each match their day. The
 * vocabulary marks a day's term once, when it first sees the term.
 * Abbreviations ({@code Sat}, {@code Sun}) are left out: they are also words.
 */
public final class Weekdays {

    /** The day names by language, Monday first. */
    private static final List<String[]> NAMES = List.of(
            new String[] {"en", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                "Saturday", "Sunday"},
            new String[] {"fr", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
                "dimanche"});
    private static final int ALL_DAYS = 0x7f;
    /** Day index by term key (the vocabulary's stem key of each language's day names). */
    private static final LongIntHashMap DAYS = keys();

    private Weekdays() {
    }

    private static LongIntHashMap keys() {
        LongIntHashMap days = new LongIntHashMap();
        Tokenizer tokenizer = new Tokenizer();
        Vocabulary probe = new Vocabulary(Integer.MAX_VALUE);
        for (String[] names : NAMES) {
            Language language = Language.forCode(names[0]);
            for (int day = 0; day < 7; day++) {
                // The key the vocabulary gives the word (folded, stemmed), without adding it.
                days.put(probe.wordKey(tokenizer.tokenize(names[day + 1]).term(0), language),
                        day);
            }
        }
        return days;
    }

    /** The mark of a word with stem key {@code key} in a vocabulary kind's high bits. */
    static int code(long key) {
        int day = DAYS.getOrDefault(key, -1);
        return day < 0 ? 0 : (day + 1) << 4;
    }

    /** The day mask of a vocabulary kind byte marked by {@link #code} (0: no day). */
    static int bit(byte kind) {
        int day = (kind >> 4) & 0x0f;
        return day == 0 ? 0 : 1 << (day - 1);
    }

    /**
     * Whether two masks name days and every day of one is more than a day away from every day
     * of the other (Sunday and Monday are a day apart): a write-up of the next day's news names
     * the next day, so only days further apart say two occurrences differ.
     */
    public static boolean apart(int a, int b) {
        if (a == 0 || b == 0) {
            return false;
        }
        int near = b | ((b << 1) | (b >>> 6)) & ALL_DAYS | ((b >>> 1) | (b << 6)) & ALL_DAYS;
        return (a & near) == 0;
    }

    /** Day {@code day} (0 = Monday) as written in {@code language} (else in English). */
    public static String name(int day, String language) {
        String[] names = NAMES.get(0);
        for (String[] n : NAMES) {
            if (n[0].equals(language)) {
                names = n;
            }
        }
        return names[day + 1];
    }
}
