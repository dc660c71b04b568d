package dev.fleetrun.local.sfn.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.path.PathNotFoundException;

/**
 * A state's {@code InputPath} (or {@code OutputPath}, which works the same way on the state's output):
 * selects the part of the data the state works on. Absent means {@code $} (all of it); {@code null} means an
 * empty object; a path that selects nothing fails the execution with {@code States.Runtime}.
 */
public final class InputPath {

    private static final InputPath ALL = new InputPath("InputPath", null, false);

    private final String field;
    private final AslPath path;
    private final boolean discard;

    private InputPath(String field, AslPath path, boolean discard) {
        this.field = field;
        this.path = path;
        this.discard = discard;
    }

    /** Reads {@code field} ({@code InputPath} or {@code OutputPath}) of a state. */
    public static InputPath parse(Fields fields, String field) {
        Fields.NullableString value = fields.nullableString(field, "$");
        if (value.isNull()) {
            return new InputPath(field, null, true);
        }
        if ("$".equals(value.value())) {
            return field.equals("InputPath") ? ALL : new InputPath(field, null, false);
        }
        try {
            return new InputPath(field, AslPath.compile(value.value()), false);
        } catch (IllegalArgumentException e) {
            fields.problem(field, Problems.INVALID_PATH, e.getMessage());
            return new InputPath(field, null, false);
        }
    }

    /**
     * Selects from the data.
     *
     * @throws StatesRuntime when the path selects nothing
     */
    public JsonNode apply(JsonNode data, Bindings bindings) {
        if (discard) {
            return Json.object();
        }
        if (path == null) {
            return data;
        }
        try {
            return path.select(data, bindings);
        } catch (PathNotFoundException e) {
            throw new StatesRuntime("Invalid path '" + path.text() + "' : No results for path: " + path.text()
                    + " (the state's " + field + " selects nothing in " + Json.excerpt(data) + ")");
        }
    }
}
