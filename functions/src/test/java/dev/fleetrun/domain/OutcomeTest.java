package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every ending run status has one outcome, and each outcome's error, execution status, cause and settling rules. */
class OutcomeTest {

    private static Totals totals(int targeted, int succeeded, int failed, int timedOut, int cancelled, int notRun) {
        return new Totals(targeted, succeeded, failed, timedOut, cancelled, notRun, 0);
    }

    @Test
    void everyEndingStatusHasAnOutcomeAndOnlySucceededIsASucceededExecution() {
        for (RunStatus s : RunStatus.values()) {
            if (!s.isTerminal()) {
                continue;
            }
            Outcome o = Outcome.of(s);
            assertEquals(s, o.runStatus());
            assertEquals(s == RunStatus.SUCCEEDED, o.execution() == Outcome.Execution.SUCCEEDED, s.name());
            if (s != RunStatus.SUCCEEDED && s != RunStatus.CANCELLED) {
                assertTrue(o.error().startsWith("Fleetrun."), s.name());
                assertTrue(o.alerts(), s + " alerts");
            }
        }
        assertNull(Outcome.of(RunStatus.SUCCEEDED).error());
        assertEquals(Outcome.Execution.ABORTED, Outcome.of(RunStatus.CANCELLED).execution());
        assertFalse(Outcome.of(RunStatus.CANCELLED).alerts(), "a stop on purpose alerts no one");
    }

    @Test
    void errorsAreTheContractsNamesAndEachIsOnce() {
        assertEquals("Fleetrun.NodesFailed", Outcome.NODES_FAILED.error());
        assertEquals("Fleetrun.Breached", Outcome.BREACHED.error());
        assertEquals("Fleetrun.RolledBack", Outcome.ROLLED_BACK.error());
        assertEquals("Fleetrun.RollbackFailed", Outcome.ROLLBACK_FAILED.error());
        assertEquals("Fleetrun.Rejected", Outcome.REJECTED.error());
        assertEquals("Fleetrun.WorkflowError", Outcome.FAILED.error());
        for (String refusal : Set.of("Fleetrun.InvalidInput", "Fleetrun.LeaseConflict", "Fleetrun.NoTargets")) {
            assertNull(Outcome.ofError(refusal).runStatus(), refusal + " never started, so it has no run status");
        }
        assertNull(Outcome.ofError("States.Runtime"));
    }

    @Test
    void aRunProposedSucceededWithAFailedNodeIsNodesFailed() {
        assertEquals(RunStatus.SUCCEEDED, Outcome.settle(RunStatus.SUCCEEDED, totals(3, 3, 0, 0, 0, 0), null));
        assertEquals(RunStatus.NODES_FAILED, Outcome.settle(RunStatus.SUCCEEDED, totals(3, 0, 3, 0, 0, 0), null),
                "0 of 3 succeeded inside a budget of 100% is no success");
        assertEquals(RunStatus.NODES_FAILED, Outcome.settle(RunStatus.SUCCEEDED, totals(3, 2, 0, 1, 0, 0), null));
        assertEquals(RunStatus.NODES_FAILED, Outcome.settle(RunStatus.SUCCEEDED, totals(3, 2, 0, 0, 1, 0), null),
                "a node cancelled from outside did not succeed either");
    }

    @Test
    void aRollbackWithANodeThatDidNotRollBackIsRollbackFailed() {
        assertEquals(RunStatus.ROLLED_BACK, Outcome.settle(RunStatus.ROLLED_BACK, totals(4, 2, 1, 0, 0, 1), totals(2, 2, 0, 0, 0, 0)));
        assertEquals(RunStatus.ROLLED_BACK, Outcome.settle(RunStatus.ROLLED_BACK, totals(4, 0, 1, 0, 0, 3), null),
                "no node needed a rollback");
        assertEquals(RunStatus.ROLLBACK_FAILED, Outcome.settle(RunStatus.ROLLED_BACK, totals(4, 2, 1, 0, 0, 1),
                totals(2, 1, 1, 0, 0, 0)));
        assertEquals(RunStatus.BREACHED, Outcome.settle(RunStatus.BREACHED, totals(4, 2, 1, 0, 0, 1), null));
    }

    @Test
    void aRejectionWhoseRollbackFailedOnANodeIsRollbackFailedAndSaysWhoRejectedIt() {
        assertEquals(RunStatus.REJECTED, Outcome.settle(RunStatus.REJECTED, totals(4, 1, 0, 0, 0, 3), null));
        assertEquals(RunStatus.REJECTED, Outcome.settle(RunStatus.REJECTED, totals(4, 1, 0, 0, 0, 3), totals(1, 1, 0, 0, 0, 0)));
        assertEquals(RunStatus.ROLLBACK_FAILED, Outcome.settle(RunStatus.REJECTED, totals(4, 1, 0, 0, 0, 3), totals(1, 0, 1, 0, 0, 0)));
        Outcome.Facts f = new Outcome.Facts(totals(4, 1, 0, 0, 0, 3), 0, totals(1, 0, 1, 0, 0, 0), null, null,
                "rejected by alice: wrong build", null);
        assertEquals("rejected by alice: wrong build; the rollback failed (1 of 1 rollback nodes failed, 0 rolled back), 3 not run;"
                + " those nodes need a look: fleetrun logs r --failed", Outcome.ROLLBACK_FAILED.cause("r", f));
        assertEquals("rejected by alice: wrong build; 1 of 4 nodes succeeded, 3 not run", Outcome.REJECTED.cause("r",
                new Outcome.Facts(totals(4, 1, 0, 0, 0, 3), 0, null, null, null, "rejected by alice: wrong build", null)));
    }

    @Test
    void causesAreOneLineOfWords() {
        Totals t = totals(20, 0, 3, 0, 0, 17);
        assertEquals("3 of 20 nodes failed (budget 0): rolled back on 0, 17 not run",
                Outcome.ROLLED_BACK.cause("r", new Outcome.Facts(t, 0, null, "3 error(s) exceed maxErrors 0", null)));
        assertEquals("3 of 20 nodes failed (budget 0): breached, no rollback configured, 17 not run; see fleetrun status r",
                Outcome.BREACHED.cause("r", new Outcome.Facts(t, 0, null, "3 error(s) exceed maxErrors 0", null)));
        assertEquals("alarm in ALARM: web-5xx after 0 of 3 nodes failed (budget 0): breached, no rollback configured,"
                        + " 2 not run; see fleetrun status r",
                Outcome.BREACHED.cause("r", new Outcome.Facts(totals(3, 1, 0, 0, 0, 2), 0, null, "alarm in ALARM: web-5xx", null)));
        assertEquals("2 of 20 nodes failed or timed out (1 timed out) (budget 2): every wave ran, 18 succeeded;"
                        + " see which with fleetrun status r --all",
                Outcome.NODES_FAILED.cause("r", new Outcome.Facts(totals(20, 18, 1, 1, 0, 0), 2, null, null, null)));
        assertEquals("all 20 nodes succeeded", Outcome.SUCCEEDED.cause("r", new Outcome.Facts(totals(20, 20, 0, 0, 0, 0), 0, null, null, null)));
        assertEquals("stopped: 5 of 20 nodes succeeded, 3 cancelled, 12 not run",
                Outcome.CANCELLED.cause("r", new Outcome.Facts(totals(20, 5, 0, 0, 3, 12), 0, null, null, null)));
        assertEquals("workflow error: SSM throttled; 5 of 20 nodes succeeded, 15 not run",
                Outcome.FAILED.cause("r", new Outcome.Facts(totals(20, 5, 0, 0, 0, 15), 0, null, null, "SSM throttled")));
        for (Outcome o : Outcome.values()) {
            if (o.runStatus() != null) {
                String cause = o.cause("r", new Outcome.Facts(t, 0, totals(2, 1, 1, 0, 0, 0), "x", "y"));
                assertFalse(cause.contains("\n"), o + ": " + cause);
            }
        }
    }
}
