package io.storyline.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Output-topic values as the detector writes them, for feeding a read model in tests. */
public final class Records {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    /** An assignment of {@code id} to {@code story}; a copy when {@code duplicateOf} is set. */
    public static ObjectNode assignment(String id, String story, String duplicateOf, long seq,
            Instant fetched, String source, String title) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", 3);
        n.put("id", id);
        n.put("story", story);
        n.put("duplicateOf", duplicateOf);
        n.put("similarity", duplicateOf == null ? (id.equals(story) ? 0 : 0.31) : 0.94);
        n.put("lower", duplicateOf == null ? 0 : 0.8);
        n.put("upper", duplicateOf == null ? 0 : 0.99);
        n.put("matched", id.equals(story) ? null : story);
        n.put("verdict", id.equals(story) ? "new_story"
                : duplicateOf != null ? "near_duplicate" : "story");
        if (!id.equals(story) && duplicateOf == null) {
            ObjectNode why = n.putObject("why");
            why.put("score", 0.31);
            why.put("threshold", 0.25);
            why.putArray("names").add("Kyiv");
        }
        n.put("revision", 0);
        n.put("fetched", fetched == null ? null : fetched.toString());
        n.put("seq", seq);
        n.put("title", title);
        n.put("url", "https://example.org/" + id);
        n.put("source", source);
        n.put("feed", "https://example.org/" + source.replace(' ', '-') + ".xml");
        n.put("lang", "en");
        n.put("published", fetched == null ? null : fetched.minusSeconds(600).toString());
        n.put("lead", "Lead of " + title + ".");
        return n;
    }

    /** A story snapshot. */
    public static ObjectNode story(String id, String status, int size, int copies,
            String headline, long seq, Instant updated, List<String> sources,
            List<String> absorbed, String into) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", 2);
        n.put("story", id);
        n.put("status", status);
        n.put("size", size);
        n.put("copies", copies);
        n.put("headline", headline);
        n.put("firstArticle", id);
        n.put("lastArticle", id);
        n.putNull("firstPublished");
        n.putNull("lastPublished");
        ArrayNode s = n.putArray("sources");
        sources.forEach(s::add);
        n.put("into", into);
        ObjectNode e = n.putObject("event");
        e.put("type", "merged".equals(status) ? "merged" : "grew");
        e.put("story", id);
        n.put("seq", seq);
        n.put("sourceCount", sources.size());
        ArrayNode a = n.putArray("absorbed");
        absorbed.forEach(a::add);
        n.put("updated", updated == null ? null : updated.toString());
        return n;
    }

    public static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
