package io.storyline.article;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Writes assignments as JSON lines with a fixed field order and four-decimal numbers, so the
 * same engine output is byte-identical on every run.
 */
public final class AssignmentWriter implements AutoCloseable {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final Writer out;

    public AssignmentWriter(Writer out) {
        this.out = out;
    }

    public void write(Assignment a) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            writeFields(g, a);
            g.writeEndObject();
            g.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write assignment of " + a.id(), e);
        }
    }

    /** The output format's fields of {@code a}, in their fixed order (shared with Kafka). */
    public static void writeFields(JsonGenerator g, Assignment a) throws IOException {
        g.writeStringField("id", a.id());
        g.writeStringField("story", a.story());
        g.writeStringField("duplicateOf", a.duplicateOf());
        g.writeFieldName("similarity");
        g.writeNumber(round(a.similarity()));
        g.writeFieldName("lower");
        g.writeNumber(round(a.lower()));
        g.writeFieldName("upper");
        g.writeNumber(round(a.upper()));
        g.writeStringField("matched", a.matched());
        g.writeStringField("verdict", a.verdict().name().toLowerCase(java.util.Locale.ROOT));
        if (a.why() != null) {
            writeWhy(g, a.why());
        }
    }

    private static void writeWhy(JsonGenerator g, Why why) throws IOException {
        g.writeObjectFieldStart("why");
        g.writeFieldName("score");
        g.writeNumber(round(why.score()));
        g.writeFieldName("threshold");
        g.writeNumber(round(why.threshold()));
        g.writeFieldName("words");
        g.writeNumber(round(why.words()));
        g.writeFieldName("agreement");
        g.writeNumber(round(why.agreement()));
        g.writeFieldName("time");
        g.writeNumber(round(why.time()));
        writeList(g, "names", why.names());
        writeList(g, "numbers", why.numbers());
        writeList(g, "terms", why.terms());
        writeList(g, "conflicts", why.conflicts());
        g.writeEndObject();
    }

    private static void writeList(JsonGenerator g, String field, List<String> items)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (String item : items) {
            g.writeString(item);
        }
        g.writeEndArray();
    }

    private static String round(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
