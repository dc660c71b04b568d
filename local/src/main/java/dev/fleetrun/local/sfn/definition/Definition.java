package dev.fleetrun.local.sfn.definition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed and validated state machine definition: the top-level graph, the execution's
 * {@code TimeoutSeconds}, the query language, and the JSON it came from.
 *
 * @param machine        the top-level states
 * @param timeoutSeconds the execution's time limit, or {@code null} for none
 * @param queryLanguage  the definition's default query language
 * @param comment        the top-level Comment, or {@code null}
 * @param json           the definition as parsed
 */
public record Definition(StateMachine machine, Long timeoutSeconds, QueryLanguage queryLanguage, String comment,
                         JsonNode json) {
}
