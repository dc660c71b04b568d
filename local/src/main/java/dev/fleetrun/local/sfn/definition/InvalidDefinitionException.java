package dev.fleetrun.local.sfn.definition;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A state machine definition the engine refuses, with every problem found. The message reads like AWS's
 * {@code InvalidDefinition} message: {@code Invalid State Machine Definition: 'CODE: what at /pointer', ...},
 * so the API layer can return it as is.
 */
public final class InvalidDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problems.Problem> problems;

    public InvalidDefinitionException(List<Problems.Problem> problems) {
        super("Invalid State Machine Definition: " + problems.stream()
                .map(p -> "'" + p + "'")
                .collect(Collectors.joining(", ")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in order. */
    public List<Problems.Problem> problems() {
        return problems;
    }
}
