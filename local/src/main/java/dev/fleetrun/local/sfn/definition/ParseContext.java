package dev.fleetrun.local.sfn.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * What the parser of one definition carries from the top into Parallel branches and Map processors: the
 * problems found so far, the state names used (which must be unique across the whole definition) and the
 * query language in force.
 */
public final class ParseContext {

    private final Problems problems;
    private final Set<String> stateNames;
    private final QueryLanguage queryLanguage;

    private ParseContext(Problems problems, Set<String> stateNames, QueryLanguage queryLanguage) {
        this.problems = problems;
        this.stateNames = stateNames;
        this.queryLanguage = queryLanguage;
    }

    /** The context for a whole definition. */
    public static ParseContext root(Problems problems, QueryLanguage queryLanguage) {
        return new ParseContext(problems, new HashSet<>(), queryLanguage);
    }

    /** The problems being collected. */
    public Problems problems() {
        return problems;
    }

    /** The query language of the definition (a state may set its own). */
    public QueryLanguage queryLanguage() {
        return queryLanguage;
    }

    /** Records a state name; {@code false} when it is already used elsewhere in the definition. */
    boolean claimName(String name) {
        return stateNames.add(name);
    }

    /** The same context with the query language a state chose (its branches inherit it). */
    public ParseContext withLanguage(QueryLanguage language) {
        return language == queryLanguage ? this : new ParseContext(problems, stateNames, language);
    }

    /** Parses a nested state machine (a Parallel branch, a Map's ItemProcessor). */
    public StateMachine nested(JsonNode node, String pointer) {
        return StateMachineParser.parseMachine(node, pointer, this);
    }
}
