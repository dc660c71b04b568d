package dev.fleetrun.local.sfn.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.engine.Execution;
import java.util.List;
import org.junit.jupiter.api.Test;

/** History events as GetExecutionHistory returns them: ids, links, timestamps and each type's details field. */
class HistoryShapeTest {

    @Test
    void eventsCarryAwsShapes() {
        EngineHarness harness = new EngineHarness(EngineHarness.json("{\"Echo\": {\"echo\": true}}"));
        Execution run = harness.run("""
                {"StartAt": "P", "States": {
                  "P": {"Type": "Pass", "Result": {"x": 1}, "Next": "T"},
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 30,
                        "Parameters": {"FunctionName": "Echo", "Payload.$": "$"}, "OutputPath": "$.Payload", "End": true}}}""",
                "{\"in\": true}");
        List<JsonNode> events = run.history().events().stream().map(HistoryEvent::toAwsJson).map(JsonNode.class::cast).toList();

        JsonNode started = events.get(0);
        assertEquals("ExecutionStarted", started.get("type").asText());
        assertEquals(1, started.get("id").asInt());
        assertEquals(0, started.get("previousEventId").asInt());
        assertEquals(1704067200.0, started.get("timestamp").asDouble(), "epoch seconds");
        assertEquals("{\"in\":true}", started.at("/executionStartedEventDetails/input").asText());
        assertEquals(false, started.at("/executionStartedEventDetails/inputDetails/truncated").asBoolean(true));
        assertEquals(EngineHarness.ROLE_ARN, started.at("/executionStartedEventDetails/roleArn").asText());

        JsonNode passEntered = events.get(1);
        assertEquals("PassStateEntered", passEntered.get("type").asText());
        assertEquals("P", passEntered.at("/stateEnteredEventDetails/name").asText());
        assertEquals(1, passEntered.get("previousEventId").asInt());

        JsonNode scheduled = events.stream().filter(e -> e.get("type").asText().equals("TaskScheduled")).findFirst().orElseThrow();
        JsonNode details = scheduled.get("taskScheduledEventDetails");
        assertEquals("lambda", details.get("resourceType").asText());
        assertEquals("invoke", details.get("resource").asText());
        assertEquals("us-east-1", details.get("region").asText());
        assertEquals(30, details.get("timeoutInSeconds").asInt());
        assertEquals("{\"FunctionName\":\"Echo\",\"Payload\":{\"x\":1}}", details.get("parameters").asText(), "parameters are JSON text");

        JsonNode succeeded = events.stream().filter(e -> e.get("type").asText().equals("TaskSucceeded")).findFirst().orElseThrow();
        assertTrue(succeeded.at("/taskSucceededEventDetails/output").asText().contains("\"StatusCode\":200"));

        JsonNode last = events.get(events.size() - 1);
        assertEquals("ExecutionSucceeded", last.get("type").asText());
        assertEquals("{\"x\":1}", last.at("/executionSucceededEventDetails/output").asText());
        for (int i = 1; i < events.size(); i++) {
            assertEquals(i, events.get(i).get("previousEventId").asInt(), "a straight run links each event to the one before");
        }
    }

    @Test
    void branchEventsLinkWithinTheirBranch() {
        Execution run = new EngineHarness().run("""
                {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                  {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}""", "{}");
        List<HistoryEvent> events = run.history().events();
        long parallelStarted = events.stream().filter(e -> e.type() == HistoryEventType.ParallelStateStarted).findFirst().orElseThrow().id();
        List<HistoryEvent> branchStarts = events.stream().filter(e -> e.type() == HistoryEventType.PassStateEntered).toList();
        assertEquals(2, branchStarts.size());
        branchStarts.forEach(e -> assertEquals(parallelStarted, e.previousEventId(), "each branch starts from ParallelStateStarted"));
        for (HistoryEvent exited : events.stream().filter(e -> e.type() == HistoryEventType.PassStateExited).toList()) {
            HistoryEvent before = events.get((int) exited.previousEventId() - 1);
            assertEquals(HistoryEventType.PassStateEntered, before.type());
            assertEquals(before.detail("name"), exited.detail("name"), "an exit links to the entry of the same branch");
        }
    }
}
