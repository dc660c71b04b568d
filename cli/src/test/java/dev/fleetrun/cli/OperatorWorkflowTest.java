package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.Lease;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.WaveStatus;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;

/**
 * What an operator does to runs in progress: {@code fleetrun stop} mid-wave, {@code fleetrun approve} at
 * an approval gate, and a second run on nodes that a first run holds.
 */
class OperatorWorkflowTest {
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(group("stop", 1, 3, NodeProfile.HEALTHY)
                .plus(group("gate", 4, 3, NodeProfile.HEALTHY))
                .plus(group("lease", 7, 3, NodeProfile.HEALTHY)), Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void stopMidWaveCancelsTheCommandsInFlightReleasesTheLeasesAndEndsCancelled() {
        List<String> n = ids(1, 3);
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "long", "--targets", "tag:Group=stop",
                "--commands", "echo started > started; sleep 60; echo finished > finished", "--waves", "2,100%");
        String runId = WorkflowHarness.awaitValue("the run to start", () -> h.store.recentRuns(20).stream()
                .filter(r -> "long".equals(r.name())).map(RunRecord::runId).findFirst());
        WorkflowHarness.await("both nodes of wave 1 to run the script", () ->
                n.subList(0, 2).stream().allMatch(id -> Files.exists(h.runtime.ssm().home(id).resolve("started"))));

        h.cli("stop", runId).expect(ExitCode.OK).shows("stopping run " + runId);

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run);
        assertEquals(ExitCode.CANCELLED, cli.exitCode(), cli.output());
        cli.shows("run " + runId + ": CANCELLED");
        assertEquals(RunStatus.CANCELLED, h.run(runId).run().status());
        assertEquals(ExecutionStatus.ABORTED, h.execution(runId).status());

        // SSM cancelled the in-flight invocations; the node of wave 2 never got the command.
        String commandId = h.commandsTo(n.get(0)).get(0).commandId();
        List<CommandInvocation> invocations = h.ssm.listCommandInvocations(b -> b.commandId(commandId)).commandInvocations();
        assertEquals(2, invocations.size());
        invocations.forEach(i -> assertEquals("Cancelled", i.statusAsString(), i.instanceId()));
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 0), h.commandCounts(n));
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "the lease on " + id + " is released"));
        WorkflowHarness.await("the cancelled nodes to be recorded", () -> h.statuses(runId, Phase.MAIN).values().stream()
                .allMatch(NodeStatus::isTerminal));
        assertEquals(Map.of(n.get(0), NodeStatus.CANCELLED, n.get(1), NodeStatus.CANCELLED, n.get(2), NodeStatus.NOT_RUN),
                h.statuses(runId, Phase.MAIN));
        assertEquals("CANCELLED", h.event(runId, "Fleetrun Run Finished").orElseThrow().path("detail").path("status").asText());
    }

    @Test
    void theApprovalGateHoldsTheNextWaveUntilApproved() {
        List<String> n = ids(4, 3);
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "gated", "--targets", "tag:Group=gate",
                "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1");
        String runId = WorkflowHarness.awaitValue("the run to wait for approval", () -> h.store.recentRuns(20).stream()
                .filter(r -> "gated".equals(r.name()) && r.approvalToken() != null).map(RunRecord::runId).findFirst());

        WorkflowHarness.Cli status = h.cli("status", runId).expect(ExitCode.OK);
        status.shows("run " + runId + " (gated): RUNNING, execution RUNNING, waiting for approval");
        // The wait is told once: the gate's line (until when, approve or reject), or the header when the gate has none.
        assertEquals(1, status.output().split("fleetrun approve " + runId, -1).length - 1, status.output());
        assertEquals(NodeStatus.SUCCEEDED, h.statuses(runId, Phase.MAIN).get(n.get(0)));
        assertEquals(WaveStatus.PLANNED, h.run(runId).waves(Phase.MAIN).get(1).status(), "wave 2 waits");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0, n.get(2), 0), h.commandCounts(n), "nothing of wave 2 is sent before approval");
        assertTrue(h.eventTypes(runId).contains("Fleetrun Approval Requested"));
        assertTrue(h.alerts(runId).stream().anyMatch(m -> m.message().contains("fleetrun approve " + runId)),
                "the approver is told how to resume");

        h.cli("approve", runId).expect(ExitCode.OK).shows("run " + runId + " approved");

        WorkflowHarness.Cli cli = WorkflowHarness.finished(run).expect(ExitCode.OK);
        cli.shows("gate after wave 1"); // "waiting for approval: ..." when a poll saw it open, else "passed": a quick approve may beat the poll
        cli.shows("run " + runId + ": SUCCEEDED");
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.SUCCEEDED, n.get(2), NodeStatus.SUCCEEDED),
                h.statuses(runId, Phase.MAIN));
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n));
        assertNull(h.run(runId).run().approvalToken(), "the gate's token is cleared");
        h.cli("approve", runId).expect(ExitCode.NOT_FOUND).shows("is not waiting for approval");
    }

    @Test
    void aSecondRunOnLeasedNodesIsRefusedNamingTheRunThatHoldsThem() {
        List<String> n = ids(7, 3);
        WorkflowHarness.Gate gate = h.gate();
        WorkflowHarness.Cli first = h.cli("run", "--detach", "--name", "first", "--instance-ids", n.get(0) + "," + n.get(1),
                "--commands", gate.awaitLine()).expect(ExitCode.OK);
        String firstId = first.runId();
        Lease held = WorkflowHarness.awaitValue("the first run's lease", () -> h.store.leaseHolder(n.get(1)));
        assertEquals(firstId, held.runId());

        WorkflowHarness.Cli second = h.cli("run", "--name", "second", "--instance-ids", n.get(1) + "," + n.get(2),
                "--commands", "echo second").expect(ExitCode.REFUSED);
        String secondId = second.runId();
        second.shows("did not start: Fleetrun.LeaseConflict");
        second.shows("1 node(s) are leased by another run: " + n.get(1) + " held by run " + firstId);
        second.shows("fleetrun stop " + firstId);
        assertEquals("Fleetrun.LeaseConflict", h.execution(secondId).error());
        assertTrue(h.store.getRun(secondId).isEmpty());
        assertTrue(h.store.leaseHolder(n.get(2)).isEmpty(), "the refused run holds none of its nodes");
        assertEquals(firstId, h.store.leaseHolder(n.get(1)).orElseThrow().runId(), "the first run keeps its lease");
        // The first run's canary waits at the gate; its second node is leased but not sent yet.
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0, n.get(2), 0), h.commandCounts(n), "the second run sent nothing");

        gate.open();
        RunRecord done = h.awaitFinished(firstId);
        assertEquals(RunStatus.SUCCEEDED, done.status());
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 0), h.commandCounts(n));
        assertNotNull(done.finishedAt());
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty()));
    }
}
