package dev.fleetrun.domain;

import static dev.fleetrun.domain.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WaveSizeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"1|1|false", "250|250|false", "'1%'|1|true", "'10%'|10|true",
            "'100%'|100|true", "'5'|5|false", "3.0|3|false"})
    void readsCountsAndPercentages(String entry, int value, boolean percent) {
        assertEquals(new WaveSize(value, percent), WaveSize.parse(json(entry)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "'0%'", "'101%'", "'10 %'", "'ten'", "''", "true", "null", "[1]", "{}",
            "'01%'", "99999999999"})
    void rejectsAnythingElseWithAnExample(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaveSize.parse(json(entry)));
        assertTrue(e.getMessage().contains("\"10%\""), e.getMessage());
    }

    @Test
    void rejectsAMissingEntry() {
        assertThrows(IllegalArgumentException.class, () -> WaveSize.parse(null));
    }

    @ParameterizedTest
    @CsvSource({"5, false, 100, 5", "5, false, 2, 5", "10, true, 15, 2", "10, true, 10, 1", "1, true, 1, 1",
            "50, true, 3, 2", "100, true, 40, 40", "10, true, 0, 0"})
    void sizeOfATotalRoundsPercentagesUp(int value, boolean percent, int total, int size) {
        assertEquals(size, new WaveSize(value, percent).of(total));
    }

    @Test
    void toStringIsTheRequestForm() {
        assertEquals("10%", new WaveSize(10, true).toString());
        assertEquals("3", new WaveSize(3, false).toString());
    }
}
