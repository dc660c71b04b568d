package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.ssm.NodeProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * {@code fleetrun resume} and {@code fleetrun retry} through the real command on the embedded runtime. A run
 * made to fail half-way by a fault (a SendWave that fails past its retries, SSM throttling SendCommand past
 * the SDK's and the workflow's retries) ends FAILED on a workflow error; {@code resume} redrives its
 * execution, which goes on from the wave it stopped at, and every node gets the command exactly once (SSM's
 * commands per node). Runs that ended otherwise are refused with what to do. {@code retry} starts a new run,
 * linked to the first, over only its failed and unfinished nodes.
 */
class ResumeRetryWorkflowTest {
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(group("resume", 1, 3, NodeProfile.HEALTHY)
                .plus(group("throttled", 4, 3, NodeProfile.HEALTHY))
                .plus(group("taken", 10, 3, NodeProfile.HEALTHY))
                .plus(group("mixed", 7, 2, NodeProfile.HEALTHY)).plus(group("mixed", 9, 1, NodeProfile.failing(3)))
                .plus(group("held", 13, 3, NodeProfile.HEALTHY)), Map.of());
    }

    @AfterEach
    void clearFaults() {
        h.runtime.faults().clear();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Applies {@code fault} when the run named {@code prefix}-... completes its first wave. */
    private static void afterFirstWave(String prefix, String fault) {
        AtomicBoolean armed = new AtomicBoolean(true);
        h.runtime.bus().onEvent(event -> {
            if ("Fleetrun Wave Completed".equals(event.path("detail-type").asText())
                    && event.path("detail").path("runId").asText().startsWith(prefix + "-")
                    && event.path("detail").path("wave").asInt() == 1 && armed.getAndSet(false)) {
                h.runtime.faults().apply(fault);
            }
        });
    }

    @Test
    void aRunWhoseSendWaveFailedPastItsRetriesIsResumedAndNoNodeGetsTheCommandTwice() {
        List<String> n = ids(1, 3);
        // SendWave of wave 2 fails on every attempt the workflow makes (1 + 3 retries).
        afterFirstWave("halfway", "fail-lambda:function=SendWave,message=injected by the test,times=4");
        WorkflowHarness.Cli failed = h.cli("run", "--name", "halfway", "--targets", "tag:Group=resume",
                "--commands", "echo hello", "--waves", "1,100%").expect(ExitCode.FAILED);
        String runId = failed.runId();
        DescribeExecutionResponse exec = h.awaitExecutionEnd(runId);
        assertEquals("FAILED", exec.statusAsString());
        assertEquals("Fleetrun.WorkflowError", exec.error());
        assertTrue(exec.cause().contains("fleetrun resume " + runId), exec.cause());
        assertEquals(RunStatus.FAILED, h.run(runId).run().status());
        Map<String, NodeStatus> before = h.statuses(runId, Phase.MAIN);
        assertEquals(1, before.values().stream().filter(NodeStatus.SUCCEEDED::equals).count(), before.toString());
        assertEquals(2, before.values().stream().filter(NodeStatus.PLANNED::equals).count(),
                "wave 2 was never sent and is kept for the resume: " + before);
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "a failed run holds no lease"));
        WorkflowHarness.Cli status = h.cli("status", runId).expect(ExitCode.FAILED);
        status.shows("resume it where it stopped: fleetrun resume " + runId);
        assertTrue(status.output().matches("(?s).*\\ntotal +3 +1 +0 +0 +0 +2\\n.*"), "the unsent nodes are not run:\n" + status.output());

        WorkflowHarness.Cli resumed = h.cli("resume", runId).expect(ExitCode.OK);
        resumed.shows("run " + runId + " resumed");
        assertEquals(RunStatus.SUCCEEDED, h.run(runId).run().status());
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.SUCCEEDED, n.get(2), NodeStatus.SUCCEEDED),
                h.statuses(runId, Phase.MAIN));
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n), "no node got the command twice");
        assertEquals(1, h.execution(runId).redriveCount());
        assertTrue(h.eventTypes(runId).contains("Fleetrun Run Resumed"), h.eventTypes(runId).toString());
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "the resumed run released its leases at its end"));

        WorkflowHarness.Cli again = h.cli("resume", runId).expect(ExitCode.USAGE);
        again.shows("cannot resume run " + runId + ": it ended SUCCEEDED, not on a workflow error");
        again.shows("fleetrun retry " + runId);
    }

    @Test
    void aRunThatFailedWhileHeldBeforeItsNextWaveIsNotResumedPastTheGate() {
        List<String> n = ids(13, 3);
        // The Hold before wave 2 (the RequestApproval function) fails on every attempt: nobody decided that wave 2
        // may go, so a resume (which goes on at SendWave) must not send it.
        afterFirstWave("held", "fail-lambda:function=RequestApproval,message=injected by the test,times=4");
        String runId = h.cli("run", "--name", "held", "--targets", "tag:Group=held", "--commands", "echo hello",
                "--waves", "1,100%", "--approval-after", "1").expect(ExitCode.FAILED).runId();
        DescribeExecutionResponse exec = h.awaitExecutionEnd(runId);
        assertEquals("Fleetrun.WorkflowError", exec.error());
        assertTrue(!exec.cause().contains("fleetrun resume"), "not offered a resume: " + exec.cause());
        assertEquals(RunStatus.FAILED, h.run(runId).run().status());
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.NOT_RUN, n.get(2), NodeStatus.NOT_RUN),
                h.statuses(runId, Phase.MAIN), "not kept for a resume");

        WorkflowHarness.Cli resume = h.cli("resume", runId).expect(ExitCode.USAGE);
        resume.shows("cannot resume run " + runId + ": it failed while held before its next wave");
        resume.shows("fleetrun retry " + runId);
        assertEquals(0, h.execution(runId).redriveCount());
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0, n.get(2), 0), h.commandCounts(n), "wave 2 was never sent");
    }

    @Test
    void aRunWhoseLastEvaluateWasThrottledPastItsRetriesIsResumedWithoutSendingAnythingAgain() {
        List<String> n = ids(4, 3);
        // Lambda throttles the Evaluate after the last wave (armed by the first Evaluate's Wave Completed) on its
        // first attempt and all 6 retries: every node has run, and the resume must send nothing again.
        afterFirstWave("throttled", "fail-lambda:function=Evaluate,kind=throttle,times=7");
        String runId = h.cli("run", "--name", "throttled", "--targets", "tag:Group=throttled",
                "--commands", "echo hello", "--waves", "1,100%").expect(ExitCode.FAILED).runId();
        assertEquals("Fleetrun.WorkflowError", h.awaitExecutionEnd(runId).error());
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n));
        h.cli("status", runId).expect(ExitCode.FAILED).shows("resume it where it stopped: fleetrun resume " + runId);

        h.cli("resume", runId).expect(ExitCode.OK);
        assertEquals(RunStatus.SUCCEEDED, h.run(runId).run().status());
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n), "no node got the command twice");
        assertEquals(2, h.commandsOf(runId).size(), "one command per wave");
    }

    @Test
    void aResumeFindsANodeAnotherRunTookMeanwhileFailsAgainAndTheNextResumeTakesTheLeasesBack() {
        List<String> n = ids(10, 3);
        afterFirstWave("taken", "fail-lambda:function=SendWave,message=injected by the test,times=4");
        String runId = h.cli("run", "--name", "taken", "--targets", "tag:Group=taken",
                "--commands", "echo hello", "--waves", "1,100%").expect(ExitCode.FAILED).runId();
        String unsent = h.statuses(runId, Phase.MAIN).entrySet().stream().filter(e -> e.getValue() == NodeStatus.PLANNED)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        // The failed run let go of its nodes: another run takes one of them, and is still running.
        String other = h.cli("run", "--name", "other", "--instance-ids", unsent, "--commands", "sleep 15", "--detach")
                .expect(ExitCode.OK).runId();
        WorkflowHarness.await("the other run holds " + unsent, () -> h.store.leaseHolder(unsent).isPresent());

        WorkflowHarness.Cli conflicted = h.cli("resume", runId).expect(ExitCode.FAILED);
        conflicted.shows("run " + runId + " resumed");
        assertEquals(RunStatus.FAILED, h.run(runId).run().status());
        DescribeExecutionResponse exec = h.awaitExecutionEnd(runId);
        assertEquals("Fleetrun.WorkflowError", exec.error());
        assertTrue(exec.cause().contains(other), "the cause names the run that holds the node: " + exec.cause());
        assertEquals(0, h.commandsOf(runId).stream().filter(c -> c.instanceIds().contains(unsent)).count(),
                "nothing was sent to a node another run holds");

        h.awaitFinished(other);
        h.cli("resume", runId).expect(ExitCode.OK);
        assertEquals(2, h.execution(runId).redriveCount());
        assertEquals(RunStatus.SUCCEEDED, h.run(runId).run().status());
        for (String id : n) {
            assertEquals(1, h.commandsOf(runId).stream().filter(c -> c.instanceIds().contains(id)).count(),
                    id + " got this run's command exactly once");
        }
    }

    @Test
    void retryStartsALinkedRunOverOnlyTheFailedNodesAndRefusesWhatItCannotRetry() {
        List<String> n = ids(7, 3);
        String first = h.cli("run", "--name", "mixed", "--targets", "tag:Group=mixed", "--commands", "echo hello",
                "--waves", "100%", "--max-errors", "1").runId();
        h.awaitFinished(first);
        assertEquals(NodeStatus.FAILED, h.statuses(first, Phase.MAIN).get(n.get(2)));

        // Resume is for workflow errors only: this run's nodes failed, its workflow did not.
        WorkflowHarness.Cli refused = h.cli("resume", first).expect(ExitCode.USAGE);
        refused.shows("not on a workflow error");
        refused.shows("fleetrun retry " + first);

        WorkflowHarness.Cli retry = h.cli("retry", first, "--comment", "second try");
        String second = retry.runId();
        retry.shows("a retry of " + first + " over 1 node(s) (1 failed)");
        h.awaitFinished(second);
        JsonNode request = Json.parse(h.run(second).run().requestJson());
        assertEquals(List.of(n.get(2)), List.of(request.path("instanceIds").get(0).asText()));
        assertEquals(1, request.path("instanceIds").size());
        assertTrue(request.path("targets").isMissingNode(), request.toString());
        assertEquals(first, request.path("trigger").path("retryOf").asText());
        assertEquals("second try", request.path("comment").asText(), "a flag overrides the stored request");
        assertEquals("1", request.path("maxErrors").asText(), "the rest is the stored request");
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 2), h.commandCounts(n), "only the failed node again");
        h.cli("status", second).shows("retry of " + first);

        WorkflowHarness.Cli targets = h.cli("retry", first, "--targets", "tag:Group=resume").expect(ExitCode.USAGE);
        targets.shows("--targets cannot be given");
        WorkflowHarness.Cli missing = h.cli("retry", "no-such-run").expect(ExitCode.NOT_FOUND);
        missing.shows("no run no-such-run");

        String clean = h.cli("run", "--name", "clean", "--instance-ids", n.get(0), "--commands", "echo hello").expect(ExitCode.OK).runId();
        WorkflowHarness.Cli nothing = h.cli("retry", clean).expect(ExitCode.USAGE);
        nothing.shows("has no failed, timed-out, cancelled or not-run node to retry");
    }
}
