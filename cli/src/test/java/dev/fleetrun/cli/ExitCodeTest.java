package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.Outcome;
import dev.fleetrun.domain.RunStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exit codes the CLI documents are the ones the outcomes give, and --help names each one. */
class ExitCodeTest {

    @Test
    void everyOutcomeExitsWithTheCodeExitCodeNamesForIt() {
        Map<Outcome, Integer> expected = Map.ofEntries(
                Map.entry(Outcome.SUCCEEDED, ExitCode.OK),
                Map.entry(Outcome.FAILED, ExitCode.FAILED),
                Map.entry(Outcome.INVALID_INPUT, ExitCode.USAGE),
                Map.entry(Outcome.BREACHED, ExitCode.BREACHED),
                Map.entry(Outcome.ROLLED_BACK, ExitCode.BREACHED),
                Map.entry(Outcome.CANCELLED, ExitCode.CANCELLED),
                Map.entry(Outcome.LEASE_CONFLICT, ExitCode.REFUSED),
                Map.entry(Outcome.NO_TARGETS, ExitCode.REFUSED),
                Map.entry(Outcome.NODES_FAILED, ExitCode.NODES_FAILED),
                Map.entry(Outcome.REJECTED, ExitCode.REJECTED),
                Map.entry(Outcome.ROLLBACK_FAILED, ExitCode.ROLLBACK_FAILED));
        assertEquals(Outcome.values().length, expected.size(), "every outcome is listed here");
        expected.forEach((outcome, code) -> assertEquals(code, outcome.exitCode(), outcome.name()));
        for (RunStatus s : RunStatus.values()) {
            if (s.isTerminal()) {
                assertEquals(Outcome.of(s).exitCode(), RunFollower.exitCode(s), s.name());
            }
        }
    }

    @Test
    void helpNamesEveryExitCode() {
        String help = ExitCode.HELP.replaceAll("\\s+", " ");
        for (String part : new String[] {"0 succeeded", "1 failed", "2 bad usage or invalid request", "3 breached",
                "4 cancelled", "5 refused", "6 not found", "7 some nodes failed inside the error budget",
                "8 rejected at an approval gate", "9 rollback failed"}) {
            assertTrue(help.contains(part), "--help says '" + part + "': " + help);
        }
    }
}
