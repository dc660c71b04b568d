package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {

    @Test
    void messageListsEveryErrorInTheOrderGiven() {
        InvalidInputException e = new InvalidInputException(List.of(
                new FieldError("targets[1].values", "must not be blank"),
                new FieldError("maxErrors", "must be a string such as \"2\" or \"10%\", got a boolean")));

        assertEquals("invalid run request: targets[1].values: must not be blank; "
                + "maxErrors: must be a string such as \"2\" or \"10%\", got a boolean", e.getMessage());
        assertEquals("targets[1].values: must not be blank; "
                + "maxErrors: must be a string such as \"2\" or \"10%\", got a boolean", e.summary());
        assertEquals(2, e.errors().size());
        assertEquals("Fleetrun.InvalidInput", InvalidInputException.ERROR);
    }

    @Test
    void errorsAreACopy() {
        List<FieldError> errors = new ArrayList<>(List.of(new FieldError("name", "bad")));
        InvalidInputException e = new InvalidInputException(errors);
        errors.clear();
        assertEquals(List.of(new FieldError("name", "bad")), e.errors());
        assertThrows(UnsupportedOperationException.class, () -> e.errors().add(new FieldError("x", "y")));
    }

    @Test
    void needsAtLeastOneError() {
        assertThrows(IllegalArgumentException.class, () -> new InvalidInputException(List.of()));
    }
}
