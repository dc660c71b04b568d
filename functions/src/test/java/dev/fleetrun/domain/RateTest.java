package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateTest {

    @ParameterizedTest
    @CsvSource({"1, 1, false", "50, 50, false", "9999999, 9999999, false", "1%, 1, true", "25%, 25, true",
            "99%, 99, true", "100%, 100, true"})
    void concurrencyAcceptsSsmCountsAndPercentages(String text, int value, boolean percent) {
        assertEquals(new Rate(value, percent), Rate.parseConcurrency(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0%", "00", "01", "101%", "200%", "-1", "1.5", "25 %", " 25%", "25%%", "%", "", "ten",
            "10000000", "100 "})
    void concurrencyRejectsWhatSsmRejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rate.parseConcurrency(text));
        assertTrue(e.getMessage().contains("got \"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    @ParameterizedTest
    @NullSource
    void concurrencyRejectsNothing(String text) {
        assertThrows(IllegalArgumentException.class, () -> Rate.parseConcurrency(text));
    }

    @ParameterizedTest
    @CsvSource({"0, 0, false", "3, 3, false", "0%, 0, true", "5%, 5, true", "10%, 10, true", "100%, 100, true"})
    void errorsAcceptZeroAndSsmForms(String text, int value, boolean percent) {
        assertEquals(new Rate(value, percent), Rate.parseErrors(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "00", "01", "00%", "101%", "1.5", "one", "", "10000000"})
    void errorsRejectWhatSsmRejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rate.parseErrors(text));
        assertTrue(e.getMessage().contains("\"10%\""), "the reason shows an example: " + e.getMessage());
    }

    @Test
    void spacesAreNamedInTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rate.parseErrors(" 2"));
        assertTrue(e.getMessage().contains("remove the spaces"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "3, 100, 3, 3",      // a count ignores the total
            "10%, 15, 2, 1",     // 1.5 nodes: concurrency rounds up, errors down
            "25%, 4, 1, 1",
            "1%, 1, 1, 0",       // 1% of one node still runs it, but allows no error
            "100%, 7, 7, 7",
            "33%, 10, 4, 3",
            "0%, 50, 0, 0",
            "50%, 0, 0, 0"})
    void percentagesRoundUpForCeilAndDownForFloor(String rate, int total, int ceil, int floor) {
        Rate r = rate.equals("0%") ? Rate.parseErrors(rate) : Rate.parseConcurrency(rate);
        assertEquals(ceil, r.ceilOf(total));
        assertEquals(floor, r.floorOf(total));
    }

    @Test
    void largeTotalsDoNotOverflow() {
        assertEquals(2_147_483_647, Rate.percentage(100).ceilOf(Integer.MAX_VALUE));
        assertEquals(1_073_741_823, Rate.percentage(50).floorOf(Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "25%", "100%", "1"})
    void toStringIsSsmFormAndParsesBack(String text) {
        Rate r = Rate.parseConcurrency(text);
        assertEquals(text, r.toString());
        assertEquals(r, Rate.parseConcurrency(r.toString()));
    }

    @Test
    void negativeOrOverHundredPercentCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Rate.count(-1));
        assertThrows(IllegalArgumentException.class, () -> Rate.percentage(101));
        assertThrows(IllegalArgumentException.class, () -> Rate.count(1).ceilOf(-1));
    }
}
