package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorBudgetTest {

    @Test
    void maxErrorsZeroBreachesAtTheFirstError() {
        ErrorBudget budget = ErrorBudget.of(Rate.parseErrors("0"), 100);
        assertEquals(0, budget.allowance());
        assertFalse(budget.isBreached(0));
        assertTrue(budget.isBreached(1));
    }

    @Test
    void aCountOfThreeBreachesAtTheFourthError() {
        ErrorBudget budget = ErrorBudget.of(Rate.parseErrors("3"), 100);
        assertFalse(budget.isBreached(3));
        assertTrue(budget.isBreached(4));
    }

    @ParameterizedTest
    @CsvSource({
            "10%, 15, 1",   // 1.5 rounds down
            "10%, 50, 5",   // SSM's example: stops at the 6th error
            "10%, 9, 0",
            "100%, 12, 12",
            "0%, 1000, 0",
            "5, 3, 5",      // a count may exceed the fleet
            "50%, 0, 0"})
    void allowanceIsMaxErrorsOfTheTargetedRoundedDown(String maxErrors, int targeted, int allowance) {
        ErrorBudget budget = ErrorBudget.of(Rate.parseErrors(maxErrors), targeted);
        assertEquals(new ErrorBudget(allowance, targeted), budget);
        assertFalse(budget.isBreached(allowance));
        assertTrue(budget.isBreached(allowance + 1));
    }

    @Test
    void hundredPercentIsNeverBreachedByTheTargetedNodes() {
        ErrorBudget budget = ErrorBudget.of(Rate.parseErrors("100%"), 20);
        assertFalse(budget.isBreached(20));
    }

    @ParameterizedTest
    @CsvSource({"3, 0, 3", "3, 2, 1", "3, 3, 0", "3, 7, 0", "0, 0, 0"})
    void remainingIsWhatTheNextCommandMayPassAsMaxErrors(int allowance, int errors, int remaining) {
        assertEquals(remaining, new ErrorBudget(allowance, 10).remaining(errors));
    }

    @Test
    void aNegativeBudgetCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorBudget(-1, 5));
    }
}
