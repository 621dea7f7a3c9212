package io.storyline.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.storyline.article.Assignment.Verdict;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.junit.jupiter.api.Test;

class AssignmentWriterTest {

    private static String written(Assignment... assignments) throws IOException {
        StringWriter out = new StringWriter();
        try (AssignmentWriter writer = new AssignmentWriter(out)) {
            for (Assignment a : assignments) {
                writer.write(a);
            }
        }
        return out.toString();
    }

    @Test
    void writesOneJsonLineWithFixedFieldOrder() throws IOException {
        assertEquals("{\"id\":\"a\",\"story\":\"s\",\"duplicateOf\":\"o\",\"similarity\":0.8,"
                + "\"lower\":0.7,\"upper\":0.9,\"matched\":\"m\","
                + "\"verdict\":\"near_duplicate\"}\n",
                written(new Assignment("a", "s", "o", 0.8, 0.7, 0.9, "m",
                        Verdict.NEAR_DUPLICATE)));
    }

    @Test
    void writesNullsAsJsonNull() throws IOException {
        assertEquals("{\"id\":\"b\",\"story\":\"b\",\"duplicateOf\":null,\"similarity\":0,"
                + "\"lower\":0,\"upper\":0,\"matched\":null,\"verdict\":\"new_story\"}\n",
                written(new Assignment("b", "b", null, 0, 0, 0, null, Verdict.NEW_STORY)));
    }

    @Test
    void roundsToFourDecimalsHalfEvenWithoutTrailingZeros() throws IOException {
        assertEquals("{\"id\":\"c\",\"story\":\"s\",\"duplicateOf\":null,\"similarity\":0.1235,"
                + "\"lower\":0.1234,\"upper\":0.1236,\"matched\":\"x\",\"verdict\":\"story\"}\n",
                written(new Assignment("c", "s", null, 0.123456, 0.12345, 0.12355, "x",
                        Verdict.STORY)));
        assertEquals("{\"id\":\"d\",\"story\":\"s\",\"duplicateOf\":\"e\",\"similarity\":1,"
                + "\"lower\":0,\"upper\":0.0002,\"matched\":\"e\","
                + "\"verdict\":\"exact_duplicate\"}\n",
                written(new Assignment("d", "s", "e", 1.0, 0.00005, 0.00015, "e",
                        Verdict.EXACT_DUPLICATE)));
    }

    @Test
    void escapesStringsAndWritesUnicode() throws IOException {
        assertEquals("{\"id\":\"q\\\"1\",\"story\":\"été\",\"duplicateOf\":null,"
                + "\"similarity\":0.5,\"lower\":0.5,\"upper\":0.5,\"matched\":\"a\\\\b\","
                + "\"verdict\":\"story\"}\n",
                written(new Assignment("q\"1", "été", null, 0.5, 0.5, 0.5, "a\\b",
                        Verdict.STORY)));
    }

    @Test
    void writesOneLinePerAssignmentInOrder() throws IOException {
        String text = written(
                new Assignment("a", "a", null, 0, 0, 0, null, Verdict.NEW_STORY),
                new Assignment("b", "a", null, 0.25, 0.25, 0.25, "a", Verdict.STORY));
        assertEquals("{\"id\":\"a\",\"story\":\"a\",\"duplicateOf\":null,\"similarity\":0,"
                + "\"lower\":0,\"upper\":0,\"matched\":null,\"verdict\":\"new_story\"}\n"
                + "{\"id\":\"b\",\"story\":\"a\",\"duplicateOf\":null,\"similarity\":0.25,"
                + "\"lower\":0.25,\"upper\":0.25,\"matched\":\"a\",\"verdict\":\"story\"}\n",
                text);
    }

    @Test
    void wrapsWriteFailures() {
        Writer failing = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AssignmentWriter writer = new AssignmentWriter(failing);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> writer.write(new Assignment("x", "x", null, 0, 0, 0, null,
                        Verdict.NEW_STORY)));
        assertEquals("cannot write assignment of x", e.getMessage());
        assertEquals("disk full", e.getCause().getMessage());
    }

    @Test
    void closeClosesTheTarget() throws IOException {
        boolean[] closed = {false};
        Writer target = new StringWriter() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new AssignmentWriter(target).close();
        assertEquals(true, closed[0]);
    }
}
