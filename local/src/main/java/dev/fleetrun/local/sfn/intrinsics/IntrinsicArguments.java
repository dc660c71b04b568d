package dev.fleetrun.local.sfn.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The evaluated arguments of one intrinsic call, already checked against the function's {@link Signature}.
 * A string literal also keeps its text as written, escapes included, which States.Format needs to tell a
 * placeholder {@code {}} from an escaped brace {@code \{}.
 */
public final class IntrinsicArguments {

    private final List<JsonNode> values;
    private final List<String> literalSources;

    IntrinsicArguments(List<JsonNode> values, List<String> literalSources) {
        this.values = values;
        this.literalSources = literalSources;
    }

    /** How many arguments were given. */
    public int size() {
        return values.size();
    }

    /** The argument at {@code index} (0-based). */
    public JsonNode get(int index) {
        return values.get(index);
    }

    /** All arguments. */
    public List<JsonNode> all() {
        return values;
    }

    /** The text of argument {@code index} as written between quotes, escapes kept, or {@code null} if it was not a string literal. */
    public String literalSource(int index) {
        return literalSources.get(index);
    }
}
