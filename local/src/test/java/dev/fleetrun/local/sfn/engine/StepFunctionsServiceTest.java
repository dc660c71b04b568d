package dev.fleetrun.local.sfn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control plane's AWS rules: ARNs, names, idempotent creation and starts, error codes. */
@SuppressWarnings("try") // a clock hold is held for its scope, never read
class StepFunctionsServiceTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/sfn";
    private static final String PASS = "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}";
    private static final String WAIT = "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 60, \"End\": true}}}";

    private final EngineHarness harness = new EngineHarness();
    private final StepFunctionsService service = new StepFunctionsService(harness.engine);

    @Test
    void createsDescribesAndRunsAStateMachine() throws Exception {
        StateMachineRecord machine = service.createStateMachine("orders", PASS, ROLE, null);
        assertEquals("arn:aws:states:us-east-1:123456789012:stateMachine:orders", machine.arn());
        assertEquals("STANDARD", machine.type());
        assertSame(machine, service.createStateMachine("orders", PASS, ROLE, null), "the same request again returns the same machine");

        Execution run = service.startExecution(machine.arn(), "first", "{\"a\": 1}");
        EngineHarness.finish(run);
        assertEquals("arn:aws:states:us-east-1:123456789012:execution:orders:first", run.arn());
        assertEquals(ExecutionStatus.SUCCEEDED, service.describeExecution(run.arn()).status());
        assertEquals(List.of(run), service.listExecutions(machine.arn(), ExecutionStatus.SUCCEEDED));
        assertEquals(HistoryEventType.ExecutionSucceeded, service.getExecutionHistory(run.arn(), true).get(0).type());
    }

    @Test
    void refusesWhatAwsRefuses() {
        assertEquals("InvalidDefinition", assertThrows(SfnException.class,
                () -> service.createStateMachine("bad", "{\"StartAt\": \"X\", \"States\": {}}", ROLE, null)).code());
        assertEquals("InvalidName", assertThrows(SfnException.class, () -> service.createStateMachine("no spaces", PASS, ROLE, null)).code());
        service.createStateMachine("m", PASS, ROLE, null);
        assertEquals("StateMachineAlreadyExists", assertThrows(SfnException.class,
                () -> service.createStateMachine("m", WAIT, ROLE, null)).code());
        assertEquals("StateMachineDoesNotExist", assertThrows(SfnException.class,
                () -> service.describeStateMachine("arn:aws:states:us-east-1:123456789012:stateMachine:nope")).code());
        String arn = service.describeStateMachine("arn:aws:states:us-east-1:123456789012:stateMachine:m").arn();
        assertEquals("InvalidExecutionInput", assertThrows(SfnException.class, () -> service.startExecution(arn, "x", "{oops")).code());
        EngineHarness.finish(service.startExecution(arn, "once", "{}"));
        assertEquals("ExecutionAlreadyExists", assertThrows(SfnException.class, () -> service.startExecution(arn, "once", "{}")).code());
        assertEquals("InvalidToken", assertThrows(SfnException.class, () -> service.sendTaskSuccess("nope", "{}")).code());
    }

    @Test
    void startingARunningExecutionAgainWithTheSameInputReturnsIt() throws Exception {
        String arn = service.createStateMachine("waits", WAIT, ROLE, null).arn();
        Execution first;
        try (var hold = harness.clock.hold()) {
            first = service.startExecution(arn, "same", "{\"k\": 1}");
            assertSame(first, service.startExecution(arn, "same", "{\"k\": 1}"));
            assertEquals("ExecutionAlreadyExists", assertThrows(SfnException.class, () -> service.startExecution(arn, "same", "{\"k\": 2}")).code());
            service.stopExecution(first.arn(), "Stop", "test");
        }
        assertEquals(ExecutionStatus.ABORTED, first.status());
    }

    @Test
    void anUpdateLeavesRunningExecutionsOnTheirDefinition() {
        String arn = service.createStateMachine("evolving", PASS, ROLE, null).arn();
        StateMachineRecord updated = service.updateStateMachine(arn, WAIT, null);
        assertEquals(WAIT, updated.definitionText());
        assertEquals(ROLE, updated.roleArn());
        Execution run = EngineHarness.finish(service.startExecution(arn, "after-update", null));
        assertTrue(run.history().events().stream().anyMatch(e -> e.type() == HistoryEventType.WaitStateEntered));
    }
}
