package dev.fleetrun.domain;

import java.util.Objects;

/**
 * One thing wrong with a run request: where ({@code field}, a path such as {@code targets[1].values} or
 * {@code document.parameters.commands}) and why ({@code reason}, which says what to do where that helps).
 */
public record FieldError(String field, String reason) {

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code field: reason}, the form the error cause lists. */
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
