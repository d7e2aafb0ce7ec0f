package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A JSON Pointer ({@code /data/0/owned_by}), split once, in which {@code *} as a segment stands for
 * every element of an array or every field of an object.
 */
public record JsonPath(String text, List<String> segments) {
    public JsonPath {
        segments = List.copyOf(segments);
    }

    /** The pointer {@code text} ('' or starting with '/'), or null when it is neither. */
    static @Nullable JsonPath parse(@Nullable String text) {
        if (text == null || !text.isEmpty() && !text.startsWith("/")) {
            return null;
        }
        List<String> segs = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String s : text.substring(1).split("/", -1)) {
                segs.add(s.replace("~1", "/").replace("~0", "~"));
            }
        }
        return new JsonPath(text, segs);
    }

    /** Every node at this path; none for a missing root. */
    public List<JsonNode> select(@Nullable JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        if (root != null && !root.isMissingNode()) {
            select(root, 0, out);
        }
        return out;
    }

    private void select(@Nullable JsonNode node, int i, List<JsonNode> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (i == segments.size()) {
            out.add(node);
            return;
        }
        String seg = segments.get(i);
        if (seg.equals("*")) {
            if (node.isArray() || node.isObject()) {
                node.elements().forEachRemaining(child -> select(child, i + 1, out));
            }
            return;
        }
        if (node.isArray()) {
            try {
                select(node.get(Integer.parseInt(seg)), i + 1, out);
            } catch (NumberFormatException e) {
                // an object key on an array: nothing there
            }
            return;
        }
        if (node.isObject()) {
            select(node.get(seg), i + 1, out);
        }
    }

    /** Whether a {@code *} segment makes this path select many nodes. */
    public boolean many() {
        return segments.contains("*");
    }

    @Override
    public String toString() {
        return text;
    }
}
