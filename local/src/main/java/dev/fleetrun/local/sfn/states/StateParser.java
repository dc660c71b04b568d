package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.ParseContext;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.definition.QueryLanguage;

/** Reads one state: checks its {@code Type} and hands its fields to the class of that type. */
public final class StateParser {

    private StateParser() {
    }

    /** Parses the state {@code name}; {@code null} (with problems reported) when it cannot be read at all. */
    public static State parse(String name, JsonNode node, String pointer, ParseContext context) {
        Fields fields = Fields.of(node, pointer, context.problems(), "a state");
        if (fields == null) {
            return null;
        }
        fields.allow("Comment");
        String type = fields.requiredString("Type");
        if (type == null) {
            return null;
        }
        QueryLanguage language = context.queryLanguage();
        String languageName = fields.string("QueryLanguage");
        if (languageName != null) {
            QueryLanguage named = QueryLanguage.named(languageName);
            if (named == null) {
                fields.problem("QueryLanguage", Problems.SCHEMA, "'QueryLanguage' must be JSONPath or JSONata, got '" + languageName + "'");
            } else if (named == QueryLanguage.JSONPath && context.queryLanguage() == QueryLanguage.JSONata) {
                fields.problem("QueryLanguage", Problems.SCHEMA,
                        "a state may not use JSONPath when the state machine's QueryLanguage is JSONata");
            } else {
                language = named;
            }
        }
        boolean jsonata = language == QueryLanguage.JSONata;
        ParseContext nested = context.withLanguage(language);
        State state = switch (type) {
            case "Pass" -> new PassState(name, fields, jsonata);
            case "Task" -> new TaskState(name, fields, jsonata);
            case "Choice" -> new ChoiceState(name, fields, jsonata);
            case "Wait" -> new WaitState(name, fields, jsonata);
            case "Succeed" -> new SucceedState(name, fields, jsonata);
            case "Fail" -> new FailState(name, fields, jsonata);
            case "Parallel" -> new ParallelState(name, fields, nested, jsonata);
            case "Map" -> new MapState(name, fields, nested, jsonata);
            default -> {
                fields.problem("Type", Problems.SCHEMA, "'" + type
                        + "' is not a state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map)");
                yield null;
            }
        };
        if (state != null) {
            fields.rejectUnknown();
        }
        return state;
    }
}
