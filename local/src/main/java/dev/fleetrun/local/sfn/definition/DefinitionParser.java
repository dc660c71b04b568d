package dev.fleetrun.local.sfn.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.json.Json;

/**
 * Turns definition text into a {@link Definition}, or throws {@link InvalidDefinitionException} with every
 * problem found, each pointing at its state and field ({@code /States/Send/Retry/0/BackoffRate}).
 */
public final class DefinitionParser {

    /** Not valid JSON. */
    public static final String INVALID_JSON = "INVALID_JSON_DESCRIPTION";

    private DefinitionParser() {
    }

    /** Parses and validates definition text. */
    public static Definition parse(String text) {
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (JsonProcessingException e) {
            Problems problems = new Problems();
            problems.add(INVALID_JSON, "", Json.problem(e));
            throw new InvalidDefinitionException(problems.all());
        }
        return parse(json);
    }

    /** Validates a definition already parsed as JSON. */
    public static Definition parse(JsonNode json) {
        Problems problems = new Problems();
        Fields fields = Fields.of(json, "", problems, "a state machine definition");
        if (fields == null) {
            throw new InvalidDefinitionException(problems.all());
        }
        String comment = fields.string("Comment");
        fields.string("Version");
        Long timeout = fields.integer("TimeoutSeconds", 1);
        QueryLanguage language = QueryLanguage.JSONPath;
        String languageName = fields.string("QueryLanguage");
        if (languageName != null) {
            language = QueryLanguage.named(languageName);
            if (language == null) {
                fields.problem("QueryLanguage", Problems.SCHEMA, "'QueryLanguage' must be JSONPath or JSONata, got '" + languageName + "'");
                language = QueryLanguage.JSONPath;
            }
        }
        StateMachine machine = StateMachineParser.parseGraph(fields, ParseContext.root(problems, language));
        fields.rejectUnknown();
        problems.throwIfAny();
        return new Definition(machine, timeout, language, comment, json);
    }
}
