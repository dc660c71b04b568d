package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import dev.fleetrun.local.ssm.ScriptIsolation;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --max-scripts}: how many node scripts the embedded runtime runs at once; {@code --script-isolation}: how. */
class MaxScriptsOptionTest {

    private static EmbeddedRuntime.Options parsed(String... args) {
        ConnectionOptions o = new ConnectionOptions();
        new CommandLine(o).parseArgs(args);
        return EmbeddedRuntime.Options.from(o, 0);
    }

    @Test
    void theFlagSetsTheSimulatedFleetsCap() {
        assertEquals(3, parsed("--nodes", "5", "--max-scripts", "3").maxRunningScripts());
    }

    @Test
    void withoutItTheRuntimeDoesNotHoldARunOfConcurrency100Back() {
        EmbeddedRuntime.Options options = parsed("--nodes", "5");

        assertEquals(EmbeddedRuntime.DEFAULT_MAX_RUNNING_SCRIPTS, options.maxRunningScripts());
        assertTrue(options.maxRunningScripts() >= 100, "was 8 on a 2-core machine: 100 nodes at once ran 8 at a time");
    }

    @Test
    void aCapBelowOneIsAUsageErrorNamingTheFlag() {
        UsageException e = assertThrows(UsageException.class, () -> parsed("--max-scripts", "0"));

        assertTrue(e.getMessage().contains("--max-scripts 0"), e.getMessage());
    }

    @Test
    void scriptIsolationIsAutoUnlessTheFlagSaysBubblewrapOrNone() {
        assertEquals(ScriptIsolation.Mode.AUTO, parsed("--nodes", "1").isolation());
        assertEquals(ScriptIsolation.Mode.NONE, parsed("--script-isolation", "none").isolation());
        assertEquals(ScriptIsolation.Mode.BUBBLEWRAP, parsed("--script-isolation", "bubblewrap").isolation());
    }

    @Test
    void anUnknownScriptIsolationIsAUsageErrorNamingTheChoices() {
        UsageException e = assertThrows(UsageException.class, () -> parsed("--script-isolation", "docker"));

        assertTrue(e.getMessage().contains("--script-isolation 'docker'") && e.getMessage().contains("auto, bubblewrap or none"),
                e.getMessage());
    }
}
