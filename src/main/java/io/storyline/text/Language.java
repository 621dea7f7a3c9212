package io.storyline.text;

import com.carrotsearch.hppc.LongHashSet;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.fr.FrenchLightStemmer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.util.IOUtils;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.DutchStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.GermanStemmer;
import org.tartarus.snowball.ext.ItalianStemmer;
import org.tartarus.snowball.ext.PortugueseStemmer;
import org.tartarus.snowball.ext.SpanishStemmer;

/**
 * A supported language: Lucene's Snowball stop set (as token hashes) and a stemmer. French uses
 * Lucene's {@link FrenchLightStemmer}, which is built to work on accent-folded words.
 */
public final class Language {

    /** Languages in detection order (ties go to the earlier one). */
    static final List<Language> ALL = List.of(
            snowball("en", "english_stop.txt", EnglishStemmer::new),
            french(),
            snowball("de", "german_stop.txt", GermanStemmer::new),
            snowball("es", "spanish_stop.txt", SpanishStemmer::new),
            snowball("it", "italian_stop.txt", ItalianStemmer::new),
            snowball("pt", "portuguese_stop.txt", PortugueseStemmer::new),
            snowball("nl", "dutch_stop.txt", DutchStemmer::new));

    /** Codes of the supported languages, in detection order. */
    static List<String> codes() {
        return ALL.stream().map(l -> l.code).toList();
    }

    /** Stems one folded word (not thread-safe: one per analyzer). */
    interface Stemmer {
        String stem(String word);
    }

    final String code;
    /** Mixed into token hashes so that one token gets one term per language. */
    final long salt;
    final LongHashSet stopHashes;
    /** German writes every noun with a capital: there a capital does not mark a name. */
    final boolean capitalisesNouns;
    private final Supplier<Stemmer> stemmers;

    private Language(String code, LongHashSet stopHashes, Supplier<Stemmer> stemmers) {
        this.code = code;
        this.salt = Hashing.of("language:" + code);
        this.stopHashes = stopHashes;
        this.stemmers = stemmers;
        this.capitalisesNouns = code.equals("de");
    }

    /** The language's ISO 639-1 code. */
    public String code() {
        return code;
    }

    /** The language of {@code code}, as {@link #code()} gives it. */
    public static Language of(String code) {
        for (Language l : ALL) {
            if (l.code.equals(code)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no language " + code);
    }

    Stemmer newStemmer() {
        return stemmers.get();
    }

    /** The language for an ISO code such as {@code fr} or {@code fr-FR}, or null. */
    static Language forCode(String code) {
        if (code == null || code.length() < 2) {
            return null;
        }
        String prefix = code.substring(0, 2).toLowerCase(Locale.ROOT);
        for (Language language : ALL) {
            if (language.code.equals(prefix)) {
                return language;
            }
        }
        return null;
    }

    private static Language snowball(String code, String stopFile,
            Supplier<SnowballStemmer> factory) {
        return new Language(code, stopHashes(stopFile), () -> {
            SnowballStemmer stemmer = factory.get();
            return word -> {
                stemmer.setCurrent(word);
                stemmer.stem();
                return stemmer.getCurrent();
            };
        });
    }

    private static Language french() {
        return new Language("fr", stopHashes("french_stop.txt"), () -> {
            FrenchLightStemmer stemmer = new FrenchLightStemmer();
            return word -> {
                char[] chars = word.toCharArray();
                return new String(chars, 0, stemmer.stem(chars, chars.length));
            };
        });
    }

    private static LongHashSet stopHashes(String file) {
        try (Reader in = IOUtils.getDecodingReader(SnowballFilter.class, file,
                StandardCharsets.UTF_8)) {
            CharArraySet words = WordlistLoader.getSnowballWordSet(in);
            LongHashSet hashes = new LongHashSet(words.size() * 2);
            Tokenizer tokenizer = new Tokenizer();
            for (Object word : words) {
                // Tokenize the stop word itself so it folds exactly as article text does.
                Tokens t = tokenizer.tokenize(new String((char[]) word));
                for (int i = 0; i < t.size(); i++) {
                    hashes.add(t.hash(i));
                }
            }
            return hashes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Lucene stop words " + file, e);
        }
    }
}
