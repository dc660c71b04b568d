package dev.fleetrun.domain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A run request fleetrun refuses, with every reason at once. The workflow fails the execution with error
 * {@link #ERROR} and the message as its cause, before anything is sent to a node.
 *
 * <p>The message is {@code invalid run request: <field>: <reason>; <field>: <reason>}, listing every error in the
 * order given, which for {@link RunRequestParser} is the order of the request's fields (version, name,
 * targets, instanceIds, document, commands, ... as in DESIGN's "Run request, version 1"), then unknown fields.
 */
public final class InvalidInputException extends RuntimeException {

    /** The Step Functions error name of a rejected run request. */
    public static final String ERROR = "Fleetrun.InvalidInput";

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    /** @param errors at least one error */
    public InvalidInputException(List<FieldError> errors) {
        super("invalid run request: " + join(errors));
        this.errors = List.copyOf(errors);
    }

    private static String join(List<FieldError> errors) {
        if (errors == null || errors.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInputException needs at least one FieldError");
        }
        return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The errors without the "invalid run request: " prefix, as the state payload's {@code cause} carries them. */
    public String summary() {
        return join(errors);
    }
}
