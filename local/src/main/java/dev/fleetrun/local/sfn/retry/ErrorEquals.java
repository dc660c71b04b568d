package dev.fleetrun.local.sfn.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.ErrorMatcher;
import java.util.ArrayList;
import java.util.List;

/** Reads an {@code ErrorEquals} list: a non-empty array of error names, with States.ALL alone if present. */
final class ErrorEquals {

    private ErrorEquals() {
    }

    static List<String> parse(Fields fields) {
        List<JsonNode> items = fields.array("ErrorEquals");
        if (items == null) {
            if (!fields.has("ErrorEquals")) {
                fields.problem("ErrorEquals", Problems.SCHEMA, "the field 'ErrorEquals' is required");
            }
            return List.of();
        }
        if (items.isEmpty()) {
            fields.problem("ErrorEquals", Problems.SCHEMA, "'ErrorEquals' must name at least one error");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isTextual() || item.textValue().isEmpty()) {
                fields.problems().add(Problems.SCHEMA, fields.pointer("ErrorEquals") + "/" + i, "an error name must be a non-empty string");
            } else {
                names.add(item.textValue());
            }
        }
        if (names.contains(ErrorMatcher.ALL) && names.size() > 1) {
            fields.problem("ErrorEquals", Problems.SCHEMA, "States.ALL must appear alone in 'ErrorEquals'");
        }
        return List.copyOf(names);
    }

    /** Reports a States.ALL list that is not the last of its array. */
    static void checkAllIsLast(List<List<String>> lists, Fields state, String field) {
        for (int i = 0; i < lists.size() - 1; i++) {
            if (lists.get(i).contains(ErrorMatcher.ALL)) {
                state.problems().add(Problems.SCHEMA, state.pointer(field) + "/" + i,
                        "a " + (field.equals("Retry") ? "retrier" : "catcher") + " with States.ALL must be the last one in '" + field + "'");
            }
        }
    }
}
