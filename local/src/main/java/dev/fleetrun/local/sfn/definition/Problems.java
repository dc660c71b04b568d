package dev.fleetrun.local.sfn.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one definition, collected rather than thrown one by one so that a user sees all of
 * them at once. Each names a code in AWS's style ({@code SCHEMA_VALIDATION_FAILED},
 * {@code MISSING_TRANSITION_TARGET}, ...), a JSON pointer to the offending field
 * ({@code /States/Send/Retry/0/ErrorEquals}) and what is wrong.
 */
public final class Problems {

    /** One problem: a code, where it is and what is wrong. */
    public record Problem(String code, String pointer, String message) {
        @Override
        public String toString() {
            return code + ": " + message + " at " + (pointer.isEmpty() ? "/" : pointer);
        }
    }

    /** The field is missing, of the wrong type, or has a value the language does not allow. */
    public static final String SCHEMA = "SCHEMA_VALIDATION_FAILED";
    /** A Next, Default, StartAt or catcher names a state that does not exist. */
    public static final String MISSING_TARGET = "MISSING_TRANSITION_TARGET";
    /** A state cannot be reached from StartAt. */
    public static final String UNREACHABLE = "UNREACHABLE_STATE";
    /** A path or reference path is malformed. */
    public static final String INVALID_PATH = "INVALID_JSON_PATH";
    /** An intrinsic invocation is malformed, names an unknown function or gives it the wrong arguments. */
    public static final String INVALID_INTRINSIC = "INVALID_INTRINSIC_FUNCTION";
    /** A JSONata expression does not parse. */
    public static final String INVALID_JSONATA = "INVALID_JSONATA";
    /** A state name is used twice across the definition and its branches. */
    public static final String DUPLICATE_STATE = "DUPLICATE_STATE_NAME";

    private final List<Problem> problems = new ArrayList<>();

    /** Records a problem. */
    public void add(String code, String pointer, String message) {
        problems.add(new Problem(code, pointer, message));
    }

    /** Whether any problem was found. */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The problems, in the order found. */
    public List<Problem> all() {
        return List.copyOf(problems);
    }

    /** Throws {@link InvalidDefinitionException} when there is any problem. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(all());
        }
    }
}
