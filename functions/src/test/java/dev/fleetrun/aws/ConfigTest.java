package dev.fleetrun.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A function's settings from its environment: the documented defaults, and errors that name the variable. */
class ConfigTest {

    @Test
    void anEmptyEnvironmentGivesTheDocumentedDefaults() {
        Config c = Config.from(Map.of());
        assertEquals("fleetrun", c.table());
        assertEquals(Duration.ofDays(90), c.retention());
        assertEquals(Set.of("AWS-RunShellScript", "AWS-RunPowerShellScript"), c.allowedDocuments());
        assertTrue(c.errorPolicy().countUnreachable(), "unreachable nodes count against maxErrors by default");
    }

    @Test
    void settingsAreReadTrimmedAndCaseInsensitiveWhereThatMakesSense() {
        Config c = Config.from(Map.of("FLEETRUN_TABLE", "ops-fleetrun", "FLEETRUN_RETENTION_DAYS", " 30 ",
                "FLEETRUN_ALLOWED_DOCUMENTS", " MyOrg-Patch,AWS-RunShellScript ,", "FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS", " False "));
        assertEquals("ops-fleetrun", c.table());
        assertEquals(Duration.ofDays(30), c.retention());
        assertEquals(Set.of("MyOrg-Patch", "AWS-RunShellScript"), c.allowedDocuments());
        assertFalse(c.errorPolicy().countUnreachable());
    }

    @Test
    void aBadValueStopsTheFunctionNamingTheVariable() {
        var notANumber = assertThrows(IllegalStateException.class, () -> Config.from(Map.of("FLEETRUN_RETENTION_DAYS", "ninety")));
        assertTrue(notANumber.getMessage().contains("FLEETRUN_RETENTION_DAYS=ninety"), notANumber.getMessage());
        var zero = assertThrows(IllegalStateException.class, () -> Config.from(Map.of("FLEETRUN_RETENTION_DAYS", "0")));
        assertTrue(zero.getMessage().contains("use 1 to 3650"), zero.getMessage());
        var yes = assertThrows(IllegalStateException.class,
                () -> Config.from(Map.of("FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS", "yes")));
        assertTrue(yes.getMessage().contains("FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS=yes must be true or false"), yes.getMessage());
        var none = assertThrows(IllegalStateException.class, () -> Config.from(Map.of("FLEETRUN_ALLOWED_DOCUMENTS", " , ")));
        assertTrue(none.getMessage().contains("FLEETRUN_ALLOWED_DOCUMENTS is empty"), none.getMessage());
    }
}
