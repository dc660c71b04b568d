package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {

    @ParameterizedTest
    @CsvSource({"Linux, LINUX", "Windows, WINDOWS", "MacOS, MACOS", "linux, LINUX", "MACOS, MACOS"})
    void readsSsmPlatformTypes(String ssm, Platform expected) {
        assertEquals(expected, Platform.fromSsm(ssm));
        assertEquals(ssm.toLowerCase(), expected.ssmName().toLowerCase());
    }

    @Test
    void rejectsUnknownPlatformTypesByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.fromSsm("Solaris"));
        assertTrue(e.getMessage().contains("\"Solaris\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Platform.fromSsm(null));
    }
}
