package dev.fleetrun.local.sfn.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.path.ReferencePath;

/**
 * A state's (or a catcher's) {@code ResultPath}: where the result goes in the state's raw input. Absent
 * means {@code $} (the result replaces the input); {@code null} discards the result (the output is the
 * input); otherwise a reference path such as {@code $.results.lambda}.
 */
public final class ResultPath {

    private static final ResultPath REPLACE = new ResultPath(ReferencePath.parse("$"), false);
    private static final ResultPath DISCARD = new ResultPath(null, true);

    private final ReferencePath path;
    private final boolean discard;

    private ResultPath(ReferencePath path, boolean discard) {
        this.path = path;
        this.discard = discard;
    }

    /** Reads the {@code ResultPath} field. */
    public static ResultPath parse(Fields fields) {
        Fields.NullableString value = fields.nullableString("ResultPath", "$");
        if (value.isNull()) {
            return DISCARD;
        }
        if ("$".equals(value.value())) {
            return REPLACE;
        }
        try {
            return new ResultPath(ReferencePath.parse(value.value()), false);
        } catch (IllegalArgumentException e) {
            fields.problem("ResultPath", Problems.INVALID_PATH, e.getMessage());
            return REPLACE;
        }
    }

    /**
     * Combines the state's raw input with its result.
     *
     * @throws dev.fleetrun.local.sfn.errors.StatesResultPathMatchFailure when the result cannot be placed
     */
    public JsonNode apply(JsonNode rawInput, JsonNode result) {
        if (discard) {
            return rawInput;
        }
        return path.place(rawInput, result);
    }
}
