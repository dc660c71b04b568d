package dev.fleetrun.local.sfn.api;

import static dev.fleetrun.local.sfn.api.ApiHarness.ROLE;
import static dev.fleetrun.local.sfn.api.ApiHarness.START;
import static dev.fleetrun.local.sfn.api.ApiHarness.definition;
import static dev.fleetrun.local.sfn.api.ApiHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.sfn.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * The Step Functions API as the AWS SDK for Java ({@code SfnClient} 2.41) sees it, against a running
 * {@link dev.fleetrun.local.LocalRuntime}: every operation, AWS's shapes and dates, pagination, idempotent
 * starts, task tokens (success, failure, heartbeats, late answers) and every error code with the exception
 * class the SDK maps it to.
 */
@SuppressWarnings("try") // a clock hold is held for its scope, never read
class StepFunctionsApiComponentTest {

    private static final String PREFIX = "arn:aws:states:us-east-1:123456789012:";

    private final ApiHarness api = new ApiHarness();

    @AfterEach
    void close() {
        api.close();
    }

    // ---- state machines ----

    @Test
    void createsAndDescribesAStateMachineAsAwsShapesIt() {
        String definition = definition("wait-then-pass.asl.json");
        CreateStateMachineResponse created = api.sfn.createStateMachine(r -> r.name("greeter").definition(definition).roleArn(ROLE));
        assertEquals(PREFIX + "stateMachine:greeter", created.stateMachineArn());
        assertEquals(START, created.creationDate(), "epoch seconds with their fraction, decoded by the SDK");

        DescribeStateMachineResponse described = api.sfn.describeStateMachine(r -> r.stateMachineArn(created.stateMachineArn()));
        assertEquals("greeter", described.name());
        assertEquals(definition, described.definition(), "the definition comes back exactly as given");
        assertEquals(ROLE, described.roleArn());
        assertEquals(StateMachineType.STANDARD, described.type());
        assertEquals(StateMachineStatus.ACTIVE, described.status());
        assertEquals(LogLevel.OFF, described.loggingConfiguration().level());
        assertEquals(false, described.tracingConfiguration().enabled());
        assertEquals(START, described.creationDate());

        CreateStateMachineResponse again = api.sfn.createStateMachine(r -> r.name("greeter").definition(definition).roleArn(ROLE));
        assertEquals(created.stateMachineArn(), again.stateMachineArn(), "the same request again is accepted, as AWS does");
    }

    @Test
    void listStateMachinesPagesByNameWithTokens() {
        for (String name : List.of("echo", "alpha", "delta", "charlie", "bravo")) {
            api.create(name, "wait-then-pass.asl.json");
        }
        ListStateMachinesResponse first = api.sfn.listStateMachines(r -> r.maxResults(2));
        assertEquals(List.of("alpha", "bravo"), names(first.stateMachines()));
        assertNotNull(first.nextToken());
        ListStateMachinesResponse second = api.sfn.listStateMachines(r -> r.maxResults(2).nextToken(first.nextToken()));
        assertEquals(List.of("charlie", "delta"), names(second.stateMachines()));
        ListStateMachinesResponse third = api.sfn.listStateMachines(r -> r.maxResults(2).nextToken(second.nextToken()));
        assertEquals(List.of("echo"), names(third.stateMachines()));
        assertNull(third.nextToken(), "the last page has no nextToken");

        List<String> all = new ArrayList<>();
        api.sfn.listStateMachinesPaginator(r -> r.maxResults(2)).stateMachines().forEach(item -> all.add(item.name()));
        assertEquals(List.of("alpha", "bravo", "charlie", "delta", "echo"), all, "the SDK's paginator follows the tokens");
        assertEquals(PREFIX + "stateMachine:alpha", first.stateMachines().get(0).stateMachineArn());
        assertEquals(START, first.stateMachines().get(0).creationDate());
    }

    @Test
    void updateChangesDefinitionAndRoleAndDeleteRemoves() {
        String arn = api.create("evolving", "wait-then-pass.asl.json");
        String callback = definition("callback.asl.json");
        api.sfn.updateStateMachine(r -> r.stateMachineArn(arn).definition(callback).roleArn(ROLE + "-2"));
        DescribeStateMachineResponse updated = api.sfn.describeStateMachine(r -> r.stateMachineArn(arn));
        assertEquals(callback, updated.definition());
        assertEquals(ROLE + "-2", updated.roleArn());

        MissingRequiredParameterException nothing = assertThrows(MissingRequiredParameterException.class,
                () -> api.sfn.updateStateMachine(r -> r.stateMachineArn(arn)));
        assertCode("MissingRequiredParameter", nothing);

        api.sfn.deleteStateMachine(r -> r.stateMachineArn(arn));
        assertThrows(StateMachineDoesNotExistException.class, () -> api.sfn.describeStateMachine(r -> r.stateMachineArn(arn)));
        api.sfn.deleteStateMachine(r -> r.stateMachineArn(arn)); // deleting what does not exist succeeds, as in AWS
    }

    @Test
    void describeStateMachineForExecutionGivesTheDefinitionTheExecutionStartedWith() throws Exception {
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String arn = api.create("approvals", "callback.asl.json");
            String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("before-update")).executionArn();
            api.nextTask();
            api.sfn.updateStateMachine(r -> r.stateMachineArn(arn).definition(definition("wait-then-pass.asl.json")));

            var forExecution = api.sfn.describeStateMachineForExecution(r -> r.executionArn(executionArn));
            assertEquals(definition("callback.asl.json"), forExecution.definition());
            assertEquals(arn, forExecution.stateMachineArn());
            assertEquals(definition("wait-then-pass.asl.json"), api.sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition());
            api.sfn.stopExecution(r -> r.executionArn(executionArn));
        }
    }

    // ---- executions ----

    @Test
    void anExecutionRunsAndIsDescribedWithItsInputOutputAndDates() throws Exception {
        String arn = api.create("greeter", "wait-then-pass.asl.json");
        StartExecutionResponse started = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("first").input("{\"name\": \"ops\"}"));
        assertEquals(PREFIX + "execution:greeter:first", started.executionArn());
        assertEquals(START, started.startDate());
        api.finish(started.executionArn());

        DescribeExecutionResponse described = api.sfn.describeExecution(r -> r.executionArn(started.executionArn()));
        assertEquals(ExecutionStatus.SUCCEEDED, described.status());
        assertEquals("first", described.name());
        assertEquals(arn, described.stateMachineArn());
        assertEquals(json("{\"name\": \"ops\"}"), json(described.input()));
        assertEquals(json("{\"greeting\": \"hello ops\"}"), json(described.output()));
        assertEquals(START, described.startDate());
        assertEquals(START.plusSeconds(90), described.stopDate(), "the Wait of 90 s in virtual time");
        assertTrue(described.inputDetails().included());
        assertNull(described.error());

        DescribeExecutionResponse metadata = api.sfn.describeExecution(r -> r.executionArn(started.executionArn()).includedData("METADATA_ONLY"));
        assertNull(metadata.input());
        assertNull(metadata.output());
    }

    @Test
    void anExecutionWithoutNameOrInputGetsAUuidAndEmptyInput() throws Exception {
        String arn = api.create("greeter", "wait-then-pass.asl.json");
        String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn)).executionArn();
        String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
        assertTrue(name.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), name);
        api.finish(executionArn);
        assertEquals("{}", api.sfn.describeExecution(r -> r.executionArn(executionArn)).input());
    }

    @Test
    void historyHasAwsEventTypesAndDetailsInBothOrdersAndPages() throws Exception {
        String arn = api.create("greeter", "wait-then-pass.asl.json");
        String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("h").input("{\"name\": \"ops\"}")).executionArn();
        api.finish(executionArn);

        List<HistoryEvent> events = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn)).events();
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.WAIT_STATE_EXITED,
                HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED),
                events.stream().map(HistoryEvent::type).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), events.stream().map(HistoryEvent::id).toList());
        HistoryEvent started = events.get(0);
        assertEquals(json("{\"name\": \"ops\"}"), json(started.executionStartedEventDetails().input()));
        assertEquals(ROLE, started.executionStartedEventDetails().roleArn());
        assertEquals(0L, started.previousEventId());
        assertEquals(START, started.timestamp());
        assertEquals("Pause", events.get(1).stateEnteredEventDetails().name());
        assertEquals(START.plusSeconds(90), events.get(2).timestamp());
        assertEquals(json("{\"greeting\": \"hello ops\"}"), json(events.get(5).executionSucceededEventDetails().output()));

        List<HistoryEvent> reversed = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn).reverseOrder(true)).events();
        assertEquals(List.of(6L, 5L, 4L, 3L, 2L, 1L), reversed.stream().map(HistoryEvent::id).toList());

        GetExecutionHistoryResponse firstPage = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn).maxResults(4));
        assertEquals(4, firstPage.events().size());
        List<Long> paged = new ArrayList<>();
        api.sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn).maxResults(2).reverseOrder(true))
                .events().forEach(event -> paged.add(event.id()));
        assertEquals(List.of(6L, 5L, 4L, 3L, 2L, 1L), paged);

        HistoryEvent withoutData = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn).includeExecutionData(false)).events().get(0);
        assertNull(withoutData.executionStartedEventDetails().input());
        assertEquals(ROLE, withoutData.executionStartedEventDetails().roleArn());

        InvalidTokenException otherOrder = assertThrows(InvalidTokenException.class, () -> api.sfn.getExecutionHistory(
                r -> r.executionArn(executionArn).reverseOrder(true).nextToken(firstPage.nextToken())));
        assertCode("InvalidToken", otherOrder);
        List<HistoryEvent> rest = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn).nextToken(firstPage.nextToken())).events();
        assertEquals(List.of(5L, 6L), rest.stream().map(HistoryEvent::id).toList(), "the page size may change between pages");

        // A token made up to look like one of this request's, around a position that is not an event id.
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("GetExecutionHistory\t" + executionArn + "\tfalse\nnot-an-event-id").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertCode("InvalidToken", assertThrows(InvalidTokenException.class, () -> api.sfn.getExecutionHistory(
                r -> r.executionArn(executionArn).nextToken(forged))));
    }

    @Test
    void listExecutionsIsNewestFirstFilteredAndPaged() throws Exception {
        String greeter = api.create("greeter", "wait-then-pass.asl.json");
        for (String name : List.of("one", "two", "three")) {
            api.finish(api.sfn.startExecution(r -> r.stateMachineArn(greeter).name(name).input("{\"name\": \"x\"}")).executionArn());
        }
        assertEquals(List.of("three", "two", "one"), executionNames(api.sfn.listExecutions(r -> r.stateMachineArn(greeter))));
        ListExecutionsResponse first = api.sfn.listExecutions(r -> r.stateMachineArn(greeter).statusFilter(ExecutionStatus.SUCCEEDED).maxResults(2));
        assertEquals(List.of("three", "two"), executionNames(first));
        ListExecutionsResponse second = api.sfn.listExecutions(r -> r.stateMachineArn(greeter).statusFilter(ExecutionStatus.SUCCEEDED)
                .maxResults(2).nextToken(first.nextToken()));
        assertEquals(List.of("one"), executionNames(second));
        assertNull(second.nextToken());
        assertThrows(InvalidTokenException.class, () -> api.sfn.listExecutions(
                r -> r.stateMachineArn(greeter).statusFilter(ExecutionStatus.FAILED).nextToken(first.nextToken())));
        ExecutionListItem done = first.executions().get(0);
        assertEquals(START.plusSeconds(90 * 3), done.stopDate(), "each run waits 90 virtual seconds after the one before");

        String approvals = api.create("approvals", "callback.asl.json");
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String waiting = api.sfn.startExecution(r -> r.stateMachineArn(approvals).name("waiting")).executionArn();
            api.nextTask();
            ExecutionListItem running = api.sfn.listExecutions(r -> r.stateMachineArn(approvals).statusFilter(ExecutionStatus.RUNNING))
                    .executions().get(0);
            assertEquals(waiting, running.executionArn());
            assertEquals(ExecutionStatus.RUNNING, running.status());
            assertNull(running.stopDate());
            assertEquals(List.of(), api.sfn.listExecutions(r -> r.stateMachineArn(approvals).statusFilter(ExecutionStatus.SUCCEEDED))
                    .executions());
            api.sfn.stopExecution(r -> r.executionArn(waiting));
        }
    }

    @Test
    void startingARunningExecutionAgainIsIdempotentUntilInputOrStatusDiffer() throws Exception {
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String arn = api.create("approvals", "callback.asl.json");
            StartExecutionResponse first = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("once").input("{\"k\": 1}"));
            String token = api.nextTask().taskToken();
            StartExecutionResponse again = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("once").input("{\"k\": 1}"));
            assertEquals(first.executionArn(), again.executionArn());
            assertEquals(first.startDate(), again.startDate());

            ExecutionAlreadyExistsException otherInput = assertThrows(ExecutionAlreadyExistsException.class,
                    () -> api.sfn.startExecution(r -> r.stateMachineArn(arn).name("once").input("{\"k\": 2}")));
            assertEquals("Execution Already Exists: '" + first.executionArn() + "'", otherInput.awsErrorDetails().errorMessage());

            api.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}"));
            api.finish(first.executionArn());
            assertThrows(ExecutionAlreadyExistsException.class,
                    () -> api.sfn.startExecution(r -> r.stateMachineArn(arn).name("once").input("{\"k\": 1}")));
        }
    }

    @Test
    void stopExecutionAbortsWithErrorAndCauseAndClosesTheTaskToken() throws Exception {
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String arn = api.create("approvals", "callback.asl.json");
            String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("stopped")).executionArn();
            String token = api.nextTask().taskToken();

            var stop = api.sfn.stopExecution(r -> r.executionArn(executionArn).error("Operator.Stop").cause("change window closed"));
            DescribeExecutionResponse described = api.sfn.describeExecution(r -> r.executionArn(executionArn));
            assertEquals(ExecutionStatus.ABORTED, described.status());
            assertEquals("Operator.Stop", described.error());
            assertEquals("change window closed", described.cause());
            assertEquals(stop.stopDate(), described.stopDate());
            HistoryEvent last = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn).reverseOrder(true)).events().get(0);
            assertEquals(HistoryEventType.EXECUTION_ABORTED, last.type());
            assertEquals("Operator.Stop", last.executionAbortedEventDetails().error());
            assertEquals("change window closed", last.executionAbortedEventDetails().cause());

            TaskTimedOutException late = assertThrows(TaskTimedOutException.class,
                    () -> api.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")));
            assertEquals("Task Timed Out: 'Provided task does not exist anymore'", late.awsErrorDetails().errorMessage());
        }
    }

    // ---- task tokens ----

    @Test
    void sendTaskSuccessCompletesTheTaskWithItsOutput() throws Exception {
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String arn = api.create("approvals", "callback.asl.json");
            String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("approved")).executionArn();
            var task = api.nextTask();
            assertEquals(json("{\"token\": \"" + task.taskToken() + "\"}"), task.input().get("Message"), "$$.Task.Token reached the task");

            api.sfn.sendTaskSuccess(r -> r.taskToken(task.taskToken()).output("{\"approved\": true}"));
            api.finish(executionArn);
            DescribeExecutionResponse described = api.sfn.describeExecution(r -> r.executionArn(executionArn));
            assertEquals(ExecutionStatus.SUCCEEDED, described.status());
            assertEquals(json("{\"approved\": true}"), json(described.output()));
            List<HistoryEventType> types = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn)).events().stream()
                    .map(HistoryEvent::type).toList();
            assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED,
                    HistoryEventType.TASK_STARTED, HistoryEventType.TASK_SUBMITTED, HistoryEventType.TASK_SUCCEEDED,
                    HistoryEventType.TASK_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED), types);
            HistoryEvent scheduled = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn)).events().get(2);
            assertEquals("sns", scheduled.taskScheduledEventDetails().resourceType());
            assertEquals("publish.waitForTaskToken", scheduled.taskScheduledEventDetails().resource());
        }
    }

    @Test
    void sendTaskFailureFailsTheExecutionWithErrorAndCause() throws Exception {
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String arn = api.create("approvals", "callback.asl.json");
            String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("denied")).executionArn();
            String token = api.nextTask().taskToken();

            api.sfn.sendTaskFailure(r -> r.taskToken(token).error("Approval.Denied").cause("not in the change window"));
            api.finish(executionArn);
            DescribeExecutionResponse described = api.sfn.describeExecution(r -> r.executionArn(executionArn));
            assertEquals(ExecutionStatus.FAILED, described.status());
            assertEquals("Approval.Denied", described.error());
            assertEquals("not in the change window", described.cause());
            assertNull(described.output());
            HistoryEvent failed = api.sfn.getExecutionHistory(r -> r.executionArn(executionArn).reverseOrder(true)).events().get(1);
            assertEquals(HistoryEventType.TASK_FAILED, failed.type());
            assertEquals("Approval.Denied", failed.taskFailedEventDetails().error());
        }
    }

    @Test
    void heartbeatsKeepATaskAliveBeyondItsHeartbeatSeconds() throws Exception {
        String arn = api.create("approvals", "callback-heartbeat.asl.json");
        String executionArn;
        try (VirtualClock.Hold hold = api.clock.hold()) {
            executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("alive")).executionArn();
            String token = api.nextTask().taskToken();
            api.clock.awaitIdle();
            api.clock.advanceTo(START.plusSeconds(50));
            api.sfn.sendTaskHeartbeat(r -> r.taskToken(token));
            api.clock.awaitIdle();
            api.clock.advanceTo(START.plusSeconds(100));
            api.clock.awaitIdle();
            String status = api.sfn.describeExecution(r -> r.executionArn(executionArn)).statusAsString();
            assertEquals("RUNNING", status, "60 s after its start, but only 50 s after its heartbeat");
            api.sfn.sendTaskSuccess(r -> r.taskToken(token).output("\"done\""));
        }
        api.finish(executionArn);
        DescribeExecutionResponse described = api.sfn.describeExecution(r -> r.executionArn(executionArn));
        assertEquals(ExecutionStatus.SUCCEEDED, described.status());
        assertEquals(Duration.ofSeconds(100), Duration.between(described.startDate(), described.stopDate()));
    }

    @Test
    void aTaskWithoutHeartbeatsTimesOutAndLaterCallsAreTaskTimedOut() throws Exception {
        String arn = api.create("approvals", "callback-heartbeat.asl.json");
        String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(arn).name("silent")).executionArn();
        String token = api.nextTask().taskToken();
        api.finish(executionArn);

        DescribeExecutionResponse described = api.sfn.describeExecution(r -> r.executionArn(executionArn));
        assertEquals(ExecutionStatus.FAILED, described.status());
        assertEquals("States.HeartbeatTimeout", described.error());
        assertEquals(START.plusSeconds(60), described.stopDate());
        assertCode("TaskTimedOut", assertThrows(TaskTimedOutException.class, () -> api.sfn.sendTaskHeartbeat(r -> r.taskToken(token))));
        assertCode("TaskTimedOut", assertThrows(TaskTimedOutException.class,
                () -> api.sfn.sendTaskFailure(r -> r.taskToken(token).error("Too.Late"))));
    }

    // ---- errors ----

    @Test
    void everyRefusalHasAwsCodeAndTheSdkException() throws Exception {
        // Time stands still: a task waiting for its token would otherwise reach its default timeout at once.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            String arn = api.create("greeter", "wait-then-pass.asl.json");
            String missingMachine = PREFIX + "stateMachine:missing";
            String missingExecution = PREFIX + "execution:greeter:missing";

            expect(StateMachineDoesNotExistException.class, "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + missingMachine + "'",
                    () -> api.sfn.startExecution(r -> r.stateMachineArn(missingMachine)));
            expect(ExecutionDoesNotExistException.class, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + missingExecution + "'",
                    () -> api.sfn.describeExecution(r -> r.executionArn(missingExecution)));
            expect(ExecutionDoesNotExistException.class, "ExecutionDoesNotExist", null,
                    () -> api.sfn.getExecutionHistory(r -> r.executionArn(missingExecution)));
            expect(InvalidArnException.class, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not-an-arn'",
                    () -> api.sfn.describeStateMachine(r -> r.stateMachineArn("not-an-arn")));
            expect(InvalidArnException.class, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'",
                    () -> api.sfn.stopExecution(r -> r.executionArn(arn)));
            expect(InvalidArnException.class, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: my-role'",
                    () -> api.sfn.createStateMachine(r -> r.name("x").definition(definition("callback.asl.json")).roleArn("my-role")));

            InvalidDefinitionException invalid = expect(InvalidDefinitionException.class, "InvalidDefinition", null,
                    () -> api.sfn.createStateMachine(r -> r.name("broken").roleArn(ROLE)
                            .definition("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}")));
            assertTrue(invalid.awsErrorDetails().errorMessage().startsWith("Invalid State Machine Definition: '"), invalid.getMessage());
            assertTrue(invalid.awsErrorDetails().errorMessage().contains("at /States/A/Next"), "names the JSON pointer: " + invalid.getMessage());

            expect(InvalidNameException.class, "InvalidName", null,
                    () -> api.sfn.createStateMachine(r -> r.name("has space").definition(definition("callback.asl.json")).roleArn(ROLE)));
            expect(InvalidNameException.class, "InvalidName", null, () -> api.sfn.startExecution(r -> r.stateMachineArn(arn).name("a/b")));
            expect(StateMachineAlreadyExistsException.class, "StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'",
                    () -> api.sfn.createStateMachine(r -> r.name("greeter").definition(definition("callback.asl.json")).roleArn(ROLE)));
            expect(InvalidExecutionInputException.class, "InvalidExecutionInput", null,
                    () -> api.sfn.startExecution(r -> r.stateMachineArn(arn).input("{not json")));

            expect(InvalidTokenException.class, "InvalidToken", null, () -> api.sfn.sendTaskSuccess(r -> r.taskToken("garbage").output("{}")));
            String unknown = "AQ" + "A".repeat(64);
            expect(TaskDoesNotExistException.class, "TaskDoesNotExist", null, () -> api.sfn.sendTaskHeartbeat(r -> r.taskToken(unknown)));
            expect(InvalidTokenException.class, "InvalidToken", null, () -> api.sfn.listStateMachines(r -> r.nextToken("bm90IG91cnM")));

            expect(ValidationException.class, "ValidationException", "1 validation error detected: Value '1001' at 'maxResults'"
                    + " failed to satisfy constraint: Member must have value less than or equal to 1000",
                    () -> api.sfn.listStateMachines(r -> r.maxResults(1001)));
            expect(ValidationException.class, "ValidationException", "1 validation error detected: Value 'succeeded' at 'statusFilter'"
                    + " failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]",
                    () -> api.sfn.listExecutions(r -> r.stateMachineArn(arn).statusFilter("succeeded")));
            expect(ValidationException.class, "ValidationException", null,
                    () -> api.sfn.createStateMachine(r -> r.name("n".repeat(81)).definition(definition("callback.asl.json")).roleArn(ROLE)));

            String approvals = api.create("approvals", "callback.asl.json");
            String executionArn = api.sfn.startExecution(r -> r.stateMachineArn(approvals)).executionArn();
            String token = api.nextTask().taskToken();
            expect(InvalidOutputException.class, "InvalidOutput", null, () -> api.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{oops")));
            api.sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"ok\": true}"));
            api.finish(executionArn);
            assertEquals(ExecutionStatus.SUCCEEDED, api.sfn.describeExecution(r -> r.executionArn(executionArn)).status(),
                    "a refused output leaves the task waiting for a good one");
        }
    }

    private static <T extends SfnException> T expect(Class<T> type, String code, String message, Executable call) {
        T refused = assertThrows(type, call);
        assertCode(code, refused);
        if (message != null) {
            assertEquals(message, refused.awsErrorDetails().errorMessage());
        }
        return refused;
    }

    private static void assertCode(String code, SfnException refused) {
        assertEquals(code, refused.awsErrorDetails().errorCode());
        assertEquals(400, refused.statusCode());
    }

    private static List<String> names(List<StateMachineListItem> items) {
        return items.stream().map(StateMachineListItem::name).toList();
    }

    private static List<String> executionNames(ListExecutionsResponse response) {
        Function<ExecutionListItem, String> name = ExecutionListItem::name;
        return response.executions().stream().map(name).toList();
    }
}
