package dev.fleetrun.local.sfn.engine;

import static dev.fleetrun.local.sfn.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.task.Resource;
import dev.fleetrun.local.sfn.task.TaskTokenException;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat from outside the engine, as the API layer calls them. */
@SuppressWarnings("try") // a clock hold is held for its scope, never read
class TaskTokenCallsTest {

    private static final String CALLBACK = """
            {"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
              "HeartbeatSeconds": 60, "TimeoutSeconds": 3600,
              "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:approvals", "Message": {"token.$": "$$.Task.Token"}},
              "End": true}}}""";

    private final EngineHarness harness = new EngineHarness();
    private final LinkedBlockingQueue<String> tokens = new LinkedBlockingQueue<>();

    TaskTokenCallsTest() {
        harness.invokers.integration("sns:publish", request -> {
            tokens.add(request.taskToken());
            return json("{\"MessageId\": \"m-1\"}");
        });
    }

    private String nextToken() throws InterruptedException {
        String token = tokens.poll(5, TimeUnit.SECONDS);
        assertEquals(false, token == null, "the invoker got no token");
        return token;
    }

    @Test
    void sendTaskSuccessCompletesTheTaskWithItsOutput() throws Exception {
        Execution run;
        try (VirtualClock.Hold hold = harness.clock.hold()) {
            run = harness.start(CALLBACK, json("{}"));
            String token = nextToken();
            harness.clock.awaitIdle();
            harness.engine.sendTaskSuccess(token, "{\"approved\": true}");
        }
        EngineHarness.finish(run);
        assertEquals(ExecutionStatus.SUCCEEDED, run.status());
        assertEquals(json("{\"approved\": true}"), run.output());
        assertEquals("{\"MessageId\":\"m-1\"}", run.history().ofType(HistoryEventType.TaskSubmitted).get(0).detail("output"));
        assertEquals(Duration.ZERO, Duration.between(run.startDate(), run.stopDate()), "time stood still while held");
    }

    @Test
    void sendTaskFailureFailsTheTask() throws Exception {
        Execution run;
        try (VirtualClock.Hold hold = harness.clock.hold()) {
            run = harness.start(CALLBACK, json("{}"));
            harness.engine.sendTaskFailure(nextToken(), "Approval.Denied", "the change window is closed");
        }
        EngineHarness.finish(run);
        assertEquals(ExecutionStatus.FAILED, run.status());
        assertEquals("Approval.Denied", run.error());
        assertEquals("the change window is closed", run.cause());
    }

    @Test
    void heartbeatsKeepTheTaskAliveUntilTheAnswer() throws Exception {
        Execution run;
        String token;
        try (VirtualClock.Hold hold = harness.clock.hold()) {
            run = harness.start(CALLBACK, json("{}"));
            token = nextToken();
            harness.clock.awaitIdle();
            for (int minute = 1; minute <= 5; minute++) {
                harness.clock.advanceTo(run.startDate().plusSeconds(50L * minute));
                harness.engine.sendTaskHeartbeat(token);
                harness.clock.awaitIdle();
            }
            harness.engine.sendTaskSuccess(token, "\"done\"");
        }
        EngineHarness.finish(run);
        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.error());
        assertEquals(Duration.ofSeconds(250), Duration.between(run.startDate(), run.stopDate()));
    }

    @Test
    void anAnswerAfterTheTaskEndedIsRefused() throws Exception {
        Execution run = harness.start(CALLBACK, json("{}"));
        String token = nextToken();
        EngineHarness.finish(run);
        assertEquals("States.HeartbeatTimeout", run.error());
        TaskTokenException late = assertThrows(TaskTokenException.class, () -> harness.engine.sendTaskSuccess(token, "{}"));
        assertEquals("TaskTimedOut", late.code());
        assertEquals("TaskTimedOut", assertThrows(TaskTokenException.class, () -> harness.engine.sendTaskHeartbeat(token)).code());
    }

    @Test
    void unknownTokensAndBadOutputAreRefused() throws Exception {
        assertEquals("InvalidToken", assertThrows(TaskTokenException.class,
                () -> harness.engine.sendTaskSuccess("AQnot-a-token", "{}")).code());
        try (VirtualClock.Hold hold = harness.clock.hold()) {
            Execution run = harness.start(CALLBACK, json("{}"));
            String token = nextToken();
            assertEquals("InvalidOutput", assertThrows(TaskTokenException.class,
                    () -> harness.engine.sendTaskSuccess(token, "{not json")).code());
            run.stop(null, null);
        }
    }

    @Test
    void theResourceIsParsedIntoServiceActionAndPattern() {
        Resource resource = Resource.parse("arn:aws:states:::sns:publish.waitForTaskToken");
        assertEquals("sns:publish", resource.integrationKey());
        assertEquals("publish.waitForTaskToken", resource.eventResource());
        assertEquals(Resource.Kind.LAMBDA_FUNCTION, Resource.parse("arn:aws:lambda:us-east-1:123456789012:function:f:live").kind());
        assertEquals("aws-sdk:dynamodb:getItem", Resource.parse("arn:aws:states:::aws-sdk:dynamodb:getItem").integrationKey());
    }
}
