package dev.fleetrun.local.sfn.engine;

import static dev.fleetrun.local.sfn.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.history.HistoryEvent;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** StopExecution: the running states record their aborts and the execution ends ABORTED with the given error and cause. */
@SuppressWarnings("try") // a clock hold is held for its scope, never read
class StopExecutionTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void stoppingAWaitingExecutionAbortsIt() throws Exception {
        Execution run;
        try (VirtualClock.Hold hold = harness.clock.hold()) {
            run = harness.start("""
                    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""", json("{}"));
            harness.clock.awaitIdle();
            run.stop("Operator.Stop", "stopped from the console");
        }
        assertEquals(ExecutionStatus.ABORTED, run.status());
        assertEquals("Operator.Stop", run.error());
        assertEquals("stopped from the console", run.cause());
        assertNotNull(run.stopDate());
        assertEquals(List.of("ExecutionStarted", "WaitStateEntered", "WaitStateAborted", "ExecutionAborted"),
                run.history().events().stream().map(HistoryEvent::type).map(Enum::name).toList());
    }

    @Test
    void stoppingAParallelAbortsEveryBranch() throws Exception {
        Execution run;
        try (VirtualClock.Hold hold = harness.clock.hold()) {
            run = harness.start("""
                    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                      {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 100, "End": true}}},
                      {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 200, "End": true}}}]}}}""", json("{}"));
            harness.clock.awaitIdle();
            run.stop(null, null);
        }
        assertEquals(ExecutionStatus.ABORTED, run.status());
        List<String> types = run.history().events().stream().map(HistoryEvent::type).map(Enum::name).toList();
        assertEquals(2, types.stream().filter("WaitStateAborted"::equals).count(), types.toString());
        assertEquals("ParallelStateAborted", types.get(types.size() - 2));
        assertEquals("ExecutionAborted", types.get(types.size() - 1));
    }

    @Test
    void stoppingAnEndedExecutionChangesNothing() {
        Execution run = harness.run("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""", "{\"a\": 1}");
        run.stop("Late", "too late");
        assertEquals(ExecutionStatus.SUCCEEDED, run.status());
        assertEquals(json("{\"a\": 1}"), run.output());
    }
}
