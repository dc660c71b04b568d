package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The small part of JSONPath that EventBridge input paths use here: {@code $.a.b[0].c}. */
final class JsonPaths {

    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_\\-]+)|\\[(\\d+)]");

    private JsonPaths() {
    }

    static JsonNode read(JsonNode root, String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("not a JSONPath: " + path);
        }
        JsonNode node = root;
        Matcher m = STEP.matcher(path.substring(1));
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                throw new IllegalArgumentException("unsupported JSONPath: " + path);
            }
            node = m.group(1) != null ? node.path(m.group(1)) : node.path(Integer.parseInt(m.group(2)));
            at = m.end();
        }
        if (at != path.length() - 1) {
            throw new IllegalArgumentException("unsupported JSONPath: " + path);
        }
        return node;
    }
}
