package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MaxConcurrency and MaxErrors come to numbers as SSM documents them. */
class RateControlTest {

    @Test
    void maxConcurrencyIsACountOrAPercentageRoundedUpAndAtLeastOne() {
        assertEquals(2, new RateControl("2", "0").concurrency(10));
        assertEquals(3, new RateControl("25%", "0").concurrency(10));
        assertEquals(1, new RateControl("1%", "0").concurrency(10));
        assertEquals(10, new RateControl("100%", "0").concurrency(10));
    }

    @Test
    void maxErrorsIsAnAllowanceTheNextErrorExceeds() {
        assertFalse(new RateControl("50", "3").exceeded(3, 10));
        assertTrue(new RateControl("50", "3").exceeded(4, 10));
        assertTrue(new RateControl("50", "0").exceeded(1, 10), "0 stops at the first error");
        assertEquals(5, new RateControl("50", "10%").allowedErrors(50), "10% of 50 allows 5: the 6th stops");
        assertEquals(0, new RateControl("50", "10%").allowedErrors(9), "rounded down");
    }
}
