package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.RunControls;
import dev.fleetrun.records.RunControls.HoldKind;
import dev.fleetrun.records.RunRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Control at the gates, driven with the fleetrun commands against one runtime (time 10 times faster): pause
 * between waves and unpause, promote skipping a bake and a gate, reject at a gate with and without rollback, and an
 * approval gate's timeout with each of its actions. Each test has nodes of its own.
 */
class GateControlWorkflowTest {
    private static final String ME = System.getProperty("user.name") + " (local user)";
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(group("pause", 1, 3, NodeProfile.HEALTHY)
                .plus(group("promote", 4, 3, NodeProfile.HEALTHY))
                .plus(group("reject", 7, 2, NodeProfile.HEALTHY))
                .plus(group("rejectrb", 9, 2, NodeProfile.HEALTHY))
                .plus(group("tapprove", 11, 2, NodeProfile.HEALTHY))
                .plus(group("treject", 13, 2, NodeProfile.HEALTHY))
                .plus(group("tfail", 15, 2, NodeProfile.HEALTHY))
                .plus(group("rollback", 17, 2, NodeProfile.HEALTHY))
                .plus(group("rejectlost", 19, 2, NodeProfile.HEALTHY))
                .plus(group("rejectrbf", 21, 2, NodeProfile.HEALTHY))
                .plus(group("stopped", 23, 2, NodeProfile.HEALTHY)), Map.of());
    }

    @org.junit.jupiter.api.AfterEach
    void clearFaults() {
        h.runtime.faults().clear();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static RunControls.State controls(String runId) {
        return h.store.controls().read(runId).orElseThrow();
    }

    private static String awaitRun(String name) {
        return WorkflowHarness.awaitValue("run " + name + " to start", () -> h.store.recentRuns(50).stream()
                .filter(r -> name.equals(r.name())).map(RunRecord::runId).findFirst());
    }

    private static void awaitHold(String runId, HoldKind kind) {
        WorkflowHarness.await("run " + runId + " to park on " + kind, () -> controls(runId).holdKind() == kind
                && (kind == HoldKind.APPROVAL ? controls(runId).approvalToken() != null : controls(runId).holdToken() != null));
    }

    private static List<JsonNode> controlEvents(String runId) {
        return h.events(runId).stream().filter(e -> "Fleetrun Run Controlled".equals(e.path("detail-type").asText())).toList();
    }

    @Test
    void pauseHoldsTheRunBeforeItsNextWaveUntilUnpaused() {
        List<String> n = ids(1, 3);
        WorkflowHarness.Gate gate = h.gate();
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "paused", "--targets", "tag:Group=pause",
                "--commands", gate.awaitLine(), "--waves", "1,100%");
        String runId = awaitRun("paused");
        WorkflowHarness.await("wave 1 to be sent", () -> h.commandCounts(n).get(n.get(0)) == 1);

        h.cli("unpause", runId).expect(ExitCode.REFUSED).shows("run " + runId + " is not paused");
        h.cli("pause", runId).expect(ExitCode.OK).shows("run " + runId + " paused by " + ME + ": it holds before its next wave");
        h.cli("pause", runId).expect(ExitCode.REFUSED).shows("run " + runId + " is paused already (by " + ME);
        gate.open(); // the wave in flight finishes
        awaitHold(runId, HoldKind.PAUSE);

        assertEquals(Map.of(n.get(0), 1, n.get(1), 0, n.get(2), 0), h.commandCounts(n), "wave 2 is not sent while paused");
        assertEquals(NodeStatus.SUCCEEDED, h.statuses(runId, Phase.MAIN).get(n.get(0)));
        WorkflowHarness.Cli status = h.cli("status", runId).expect(ExitCode.OK);
        status.shows("paused before its next wave: fleetrun unpause " + runId);
        status.shows("paused by " + ME);
        h.cli("reject", runId, "--reason", "no").expect(ExitCode.NOT_FOUND).shows("is not waiting at an approval gate");

        h.cli("unpause", runId).expect(ExitCode.OK).shows("run " + runId + " unpaused by " + ME + ": it goes on");

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run).expect(ExitCode.OK);
        cli.shows("run " + runId + ": SUCCEEDED");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n));
        List<RunControls.Control> log = controls(runId).controls();
        assertEquals(List.of("paused", "unpaused"), log.stream().map(RunControls.Control::action).toList());
        log.forEach(c -> assertEquals(ME, c.by()));
        assertTrue(!log.get(1).at().isBefore(log.get(0).at()));
        WorkflowHarness.await("both control events", () -> controlEvents(runId).size() == 2);
        assertEquals(List.of("paused", "unpaused"), controlEvents(runId).stream().map(e -> e.path("detail").path("action").asText()).toList());
        assertEquals(ME, controlEvents(runId).get(0).path("detail").path("by").asText());
        assertNull(controls(runId).holdToken());
        h.cli("pause", runId).expect(ExitCode.REFUSED).shows("run " + runId + " is finished (SUCCEEDED): there is nothing to pause");
        h.cli("status", runId).expect(ExitCode.OK).shows("unpaused by " + ME);
    }

    @Test
    void promoteSkipsTheBakeAndTheApprovalGateLeft() {
        List<String> n = ids(4, 3);
        // A bake of an hour (6 minutes here) and a gate after wave 2: promote skips both.
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "promoted", "--targets", "tag:Group=promote",
                "--commands", "echo ok", "--waves", "1,1,100%", "--bake", "3600", "--approval-after", "2");
        String runId = awaitRun("promoted");
        awaitHold(runId, HoldKind.BAKE);
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0, n.get(2), 0), h.commandCounts(n), "wave 2 waits for the bake");
        h.cli("status", runId).expect(ExitCode.OK).shows("baking until ");

        h.cli("promote", runId).expect(ExitCode.OK).shows("run " + runId + " promoted by " + ME);

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run).expect(ExitCode.OK);
        cli.shows("run " + runId + ": SUCCEEDED");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n));
        assertTrue(h.invocations("RequestApproval", runId).stream().noneMatch(i -> "APPROVAL".equals(i.payload().path("state").path("hold").asText())),
                "the run never parked at its gate");
        assertEquals(List.of("promoted"), controls(runId).controls().stream().map(RunControls.Control::action).toList());
        h.cli("promote", runId).expect(ExitCode.REFUSED).shows("is finished (SUCCEEDED)");
    }

    @Test
    void rejectAtTheGateEndsTheRunRejectedWithoutRollback() {
        List<String> n = ids(7, 2);
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "rejected", "--targets", "tag:Group=reject",
                "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1");
        String runId = awaitRun("rejected");
        awaitHold(runId, HoldKind.APPROVAL);
        h.cli("status", runId).expect(ExitCode.OK).shows("approval gate open until ");

        h.cli("reject", runId, "--reason", "canary looks slow").expect(ExitCode.OK)
                .shows("run " + runId + " rejected by " + ME + ": it ends REJECTED; see: fleetrun status " + runId);

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run);
        assertEquals(ExitCode.REJECTED, cli.exitCode(), cli.output());
        cli.shows("run " + runId + ": REJECTED");
        assertEquals(RunStatus.REJECTED, h.run(runId).run().status());
        assertEquals(ExecutionStatus.FAILED, h.execution(runId).status());
        assertEquals("Fleetrun.Rejected", h.execution(runId).error());
        assertEquals("rejected by " + ME + ": canary looks slow; 1 of 2 nodes succeeded, 1 not run", h.execution(runId).cause(),
                "the reason given to fleetrun reject is the verdict's cause");
        cli.shows("rejected by " + ME + ": canary looks slow; 1 of 2 nodes succeeded");
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.NOT_RUN), h.statuses(runId, Phase.MAIN));
        assertEquals(0, h.run(runId).run().rollbackWaveCount(), "no rollback configured");
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty()));
        WorkflowHarness.Cli status = h.cli("status", runId).expect(ExitCode.REJECTED);
        status.shows("rejected by " + ME + ": canary looks slow");
        assertEquals("rejected", controlEvents(runId).get(0).path("detail").path("action").asText());
        assertEquals("canary looks slow", controlEvents(runId).get(0).path("detail").path("reason").asText());
        h.cli("reject", runId, "--reason", "again").expect(ExitCode.NOT_FOUND).shows("is not waiting at an approval gate");
        h.cli("approve", runId).expect(ExitCode.NOT_FOUND).shows("is not waiting for approval");
    }

    @Test
    void rejectAtTheGateRollsBackWhenTheRequestHasARollback() {
        List<String> n = ids(9, 2);
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "rejectedrb", "--targets", "tag:Group=rejectrb",
                "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1", "--rollback-commands", "echo undone");
        String runId = awaitRun("rejectedrb");
        awaitHold(runId, HoldKind.APPROVAL);

        h.cli("reject", runId, "--reason", "wrong build").expect(ExitCode.OK).shows("it ends REJECTED, after its rollback");

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run);
        assertEquals(ExitCode.REJECTED, cli.exitCode(), cli.output());
        cli.shows("rolling back: 1 rollback wave(s)");
        assertEquals(RunStatus.REJECTED, h.run(runId).run().status());
        assertEquals("Fleetrun.Rejected", h.execution(runId).error());
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED), h.statuses(runId, Phase.ROLLBACK), "the canary is rolled back");
        assertEquals(NodeStatus.NOT_RUN, h.statuses(runId, Phase.MAIN).get(n.get(1)));
        assertEquals(Map.of(n.get(0), 2, n.get(1), 0), h.commandCounts(n), "the command, then its rollback, on the canary only");
        assertEquals("rejected by " + ME + ": wrong build; 1 of 2 nodes succeeded, 1 not run; rolled back on 1", h.execution(runId).cause());
    }

    @Test
    void aRejectionWhoseRollbackCannotBePlannedEndsRollbackFailedAndCannotBeResumed() {
        List<String> n = ids(19, 2);
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "rejectlost", "--targets", "tag:Group=rejectlost",
                "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1", "--rollback-commands", "echo undone");
        String runId = awaitRun("rejectlost");
        awaitHold(runId, HoldKind.APPROVAL);
        // The Rollback function fails on its first attempt and every retry: the rollback is never planned.
        h.runtime.faults().apply("fail-lambda:function=Rollback,message=injected by the test,times=every");
        h.cli("reject", runId, "--reason", "bad canary").expect(ExitCode.OK);

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run);
        assertEquals(ExitCode.ROLLBACK_FAILED, cli.exitCode(), cli.output());
        assertEquals(RunStatus.ROLLBACK_FAILED, h.run(runId).run().status());
        var exec = h.awaitExecutionEnd(runId);
        assertEquals("Fleetrun.RollbackFailed", exec.error(), "ended at RunFailed, not held for a resume");
        assertTrue(exec.cause().startsWith("rejected by " + ME + ": bad canary; the rollback did not finish: "), exec.cause());
        h.runtime.faults().clear();
        h.cli("resume", runId).expect(ExitCode.USAGE).shows("it ended ROLLBACK_FAILED, not on a workflow error");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0), h.commandCounts(n), "wave 2 was never sent");
    }

    @Test
    void aRejectionWhoseRollbackFailsOnItsNodesEndsRollbackFailed() {
        List<String> n = ids(21, 2);
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "rejectrbf", "--targets", "tag:Group=rejectrbf",
                "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1", "--rollback-commands", "exit 1");
        String runId = awaitRun("rejectrbf");
        awaitHold(runId, HoldKind.APPROVAL);
        h.cli("reject", runId, "--reason", "wrong build").expect(ExitCode.OK);

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run);
        assertEquals(ExitCode.ROLLBACK_FAILED, cli.exitCode(), cli.output());
        assertEquals(RunStatus.ROLLBACK_FAILED, h.run(runId).run().status());
        assertEquals("Fleetrun.RollbackFailed", h.execution(runId).error());
        assertTrue(h.execution(runId).cause().startsWith("rejected by " + ME + ": wrong build; the rollback failed (1 of 1 rollback"
                + " nodes failed, 0 rolled back)"), h.execution(runId).cause());
        assertEquals(Map.of(n.get(0), NodeStatus.FAILED), h.statuses(runId, Phase.ROLLBACK));
    }

    @Test
    void aStoppedRunRedrivenFromOutsideEndsWithFleetrunCancelled() {
        WorkflowHarness.Gate gate = h.gate();
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "stopped", "--targets", "tag:Group=stopped",
                "--commands", gate.awaitLine(), "--waves", "1,100%");
        String runId = awaitRun("stopped");
        List<String> n = ids(23, 2);
        WorkflowHarness.await("wave 1 to be sent", () -> h.commandCounts(n).get(n.get(0)) == 1);
        h.cli("stop", runId).expect(ExitCode.OK);
        assertEquals(ExitCode.CANCELLED, WorkflowHarness.finished(run).exitCode());
        WorkflowHarness.await("the run to be closed", () -> h.run(runId).run().status() == RunStatus.CANCELLED);
        gate.open();
        assertEquals(ExecutionStatus.ABORTED, h.execution(runId).status());

        // What the console's Redrive button and `aws stepfunctions redrive-execution` do: the execution goes on
        // at the state it was stopped in, finds the run closed, and ends at RunFailed with the summary's error.
        h.sfn.redriveExecution(b -> b.executionArn(h.executionArn(runId)));
        WorkflowHarness.await("the redrive to end", () -> h.execution(runId).status() != ExecutionStatus.RUNNING);
        assertEquals(ExecutionStatus.FAILED, h.execution(runId).status());
        assertEquals("Fleetrun.Cancelled", h.execution(runId).error(), h.execution(runId).cause());
        assertTrue(h.execution(runId).cause().startsWith("stopped: "), h.execution(runId).cause());
        assertEquals(RunStatus.CANCELLED, h.run(runId).run().status());
        assertEquals(1, h.commandCounts(n).get(n.get(0)));
        assertEquals(0, h.commandCounts(n).get(n.get(1)), "the redrive sent nothing");
    }

    @Test
    void aGateThatTimesOutWithApproveGoesOn() {
        List<String> n = ids(11, 2);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "tapprove", "--targets", "tag:Group=tapprove", "--commands", "echo ok",
                "--waves", "1,100%", "--approval-after", "1", "--approval-timeout", "1m", "--on-approval-timeout", "approve")
                .expect(ExitCode.OK);
        String runId = cli.runId();
        cli.shows("run " + runId + ": SUCCEEDED");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1), h.commandCounts(n));
        RunControls.Control c = controls(runId).controls().get(0);
        assertEquals("approved", c.action());
        assertEquals("fleetrun (the approval gate before wave 2 timed out after 60 s)", c.by());
        h.cli("status", runId).expect(ExitCode.OK).shows("approved by fleetrun (the approval gate before wave 2 timed out after 60 s)");
    }

    @Test
    void aGateThatTimesOutWithRejectEndsRejected() {
        List<String> n = ids(13, 2);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "treject", "--targets", "tag:Group=treject", "--commands", "echo ok",
                "--waves", "1,100%", "--approval-after", "1", "--approval-timeout", "60", "--on-approval-timeout", "reject");
        assertEquals(ExitCode.REJECTED, cli.exitCode(), cli.output());
        String runId = cli.runId();
        assertEquals(RunStatus.REJECTED, h.run(runId).run().status());
        assertEquals("Fleetrun.Rejected", h.execution(runId).error());
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0), h.commandCounts(n));
        assertEquals("rejected", controls(runId).controls().get(0).action());
    }

    @Test
    void aGateThatTimesOutWithFailEndsFailedSayingWhy() {
        List<String> n = ids(15, 2);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "tfail", "--targets", "tag:Group=tfail", "--commands", "echo ok",
                "--waves", "1,100%", "--approval-after", "1", "--approval-timeout", "60");
        assertEquals(ExitCode.FAILED, cli.exitCode(), cli.output());
        String runId = cli.runId();
        assertEquals(RunStatus.FAILED, h.run(runId).run().status());
        cli.shows("nobody approved or rejected run " + runId + " within 60 s at its gate before wave 2");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0), h.commandCounts(n));
        assertEquals("timed out", controls(runId).controls().get(0).action());
        // A decision, not a fault: its own error, its cause in words, and no resume that would pass the gate.
        assertEquals(ExecutionStatus.FAILED, h.execution(runId).status());
        assertEquals("Fleetrun.ApprovalTimedOut", h.execution(runId).error());
        assertTrue(h.execution(runId).cause().startsWith("nobody approved or rejected run " + runId + " within 60 s at its gate"
                + " before wave 2 (approval.onTimeout is fail"), h.execution(runId).cause());
        assertTrue(!h.execution(runId).cause().contains("resume"), h.execution(runId).cause());
        WorkflowHarness.Cli resume = h.cli("resume", runId).expect(ExitCode.USAGE);
        resume.shows("cannot resume run " + runId + ": it failed while held before its next wave (Fleetrun.ApprovalTimedOut: ");
        resume.shows("fleetrun retry " + runId);
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0), h.commandCounts(n));
    }

    @Test
    void aRollbackIsNotHeldSoPauseAndPromoteAreRefusedDuringIt() {
        WorkflowHarness.Gate gate = h.gate();
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "breached", "--targets", "tag:Group=rollback",
                "--commands", "exit 1", "--waves", "1,100%", "--rollback-scope", "touched", "--rollback-commands", gate.awaitLine());
        String runId = awaitRun("breached");
        WorkflowHarness.await("the rollback to be planned", () -> h.run(runId).run().rollbackWaveCount() > 0);

        h.cli("pause", runId).expect(ExitCode.REFUSED).shows("run " + runId + " is rolling back or closing after a breach: there is nothing to pause");
        h.cli("promote", runId).expect(ExitCode.REFUSED).shows("there is nothing to promote");
        gate.open();

        assertEquals(ExitCode.BREACHED, WorkflowHarness.finished(run).exitCode());
        assertTrue(controls(runId).controls().isEmpty(), "refused controls are not logged");
    }

    @Test
    void badGateFlagsAreRefusedBeforeAnythingStarts() {
        h.cli("run", "--targets", "tag:Group=tfail", "--commands", "echo ok", "--approval-timeout", "soon")
                .expect(ExitCode.USAGE).shows("--approval-timeout 'soon' is not a duration: give 90 (seconds), 45s, 30m, 2h, 1d, 1w or 1h30m");
        // One duration syntax for every flag that takes one, compound values too, with a bound and no stack trace.
        h.cli("run", "--targets", "tag:Group=tfail", "--commands", "echo ok", "--approval-timeout", "1h30m")
                .expect(ExitCode.USAGE).shows("the request has no gate: give approvalAfterWave");
        WorkflowHarness.Cli tooLong = h.cli("run", "--targets", "tag:Group=tfail", "--commands", "echo ok", "--bake", "999999999w");
        tooLong.expect(ExitCode.USAGE);
        tooLong.shows("--bake 999999999w is longer than the most it takes");
        assertTrue(!tooLong.output().contains("Exception"), tooLong.output());
        h.cli("run", "--targets", "tag:Group=tfail", "--commands", "echo ok", "--timeout", "10x")
                .expect(ExitCode.USAGE).shows("--timeout '10x' is not a duration");
        h.cli("run", "--targets", "tag:Group=tfail", "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1",
                "--on-approval-timeout", "shrug").expect(ExitCode.USAGE).shows("approval.onTimeout: must be \"fail\"");
        h.cli("run", "--targets", "tag:Group=tfail", "--commands", "echo ok", "--approval-timeout", "2h")
                .expect(ExitCode.USAGE).shows("the request has no gate: give approvalAfterWave");
        h.cli("pause", "no-such-run").expect(ExitCode.NOT_FOUND).shows("no run no-such-run");
    }
}
