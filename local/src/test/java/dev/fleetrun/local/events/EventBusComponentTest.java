package dev.fleetrun.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.lambda.LambdaFault;
import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.testing.RepoFiles;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** The bus behind EventBridge's API, driven by the real SDK client: rules, targets, PutEvents and delivery. */
class EventBusComponentTest {
    private static final String FLEETRUN_EVENTS = "{\"source\": [\"fleetrun\"]}";

    private final RuntimeBus runtime = new RuntimeBus();

    @AfterEach
    void close() {
        runtime.close();
    }

    private void ruleToRecorder(String name, String pattern) {
        runtime.client.putRule(b -> b.name(name).eventPattern(pattern));
        var answer = runtime.client.putTargets(b -> b.rule(name).targets(Target.builder().id("recorder")
                .arn(runtime.recorderArn).build()));
        assertEquals(0, answer.failedEntryCount());
    }

    private static PutEventsRequestEntry entry(String detailType, String detail) {
        return PutEventsRequestEntry.builder().source("fleetrun").detailType(detailType).detail(detail).build();
    }

    @Test
    void putEventsReachesTheMatchingRulesLambdaInTheEnvelopeEventBridgeBuilds() {
        ruleToRecorder("fleetrun-events", FLEETRUN_EVENTS);
        runtime.client.putRule(b -> b.name("other").eventPattern("{\"source\": [\"someone-else\"]}"));
        Instant time = Instant.parse("2024-05-14T10:00:00Z");
        PutEventsResponse answer = runtime.client.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                .source("fleetrun").detailType("Fleetrun Run Started").detail("{\"runId\": \"run-1\"}")
                .resources("arn:aws:states:us-east-1:123456789012:execution:m:run-1").time(time).build()));
        runtime.settle();

        assertEquals(0, answer.failedEntryCount());
        List<JsonNode> got = runtime.recorded();
        assertEquals(1, got.size());
        JsonNode event = got.get(0);
        assertEquals(answer.entries().get(0).eventId(), event.path("id").asText());
        assertEquals("0", event.path("version").asText());
        assertEquals("Fleetrun Run Started", event.path("detail-type").asText());
        assertEquals("fleetrun", event.path("source").asText());
        assertEquals("123456789012", event.path("account").asText());
        assertEquals("us-east-1", event.path("region").asText());
        assertEquals("2024-05-14T10:00:00Z", event.path("time").asText());
        assertEquals("run-1", event.path("detail").path("runId").asText());
        assertEquals("arn:aws:states:us-east-1:123456789012:execution:m:run-1", event.path("resources").get(0).asText());
        assertEquals(1, runtime.bus.deliveriesTo(runtime.recorderArn).size());
    }

    @Test
    void entriesAreRefusedOneByOneAsEventBridgeDoes() {
        ruleToRecorder("fleetrun-events", FLEETRUN_EVENTS);
        PutEventsResponse answer = runtime.client.putEvents(b -> b.entries(
                entry("Fleetrun Run Finished", "{\"runId\": \"run-1\"}"),
                PutEventsRequestEntry.builder().source("fleetrun").detail("{}").build(),
                entry("Fleetrun Run Finished", "not json"),
                entry("Fleetrun Run Finished", "[1, 2]"),
                PutEventsRequestEntry.builder().source("aws.ssm").detailType("x").detail("{}").build()));
        runtime.settle();

        assertEquals(4, answer.failedEntryCount());
        assertTrue(answer.entries().get(0).eventId() != null);
        assertEquals("InvalidArgument", answer.entries().get(1).errorCode());
        assertEquals("Parameter DetailType is not valid. Reason: DetailType is a required argument.",
                answer.entries().get(1).errorMessage());
        assertEquals("MalformedDetail", answer.entries().get(2).errorCode());
        assertEquals("MalformedDetail", answer.entries().get(3).errorCode());
        assertEquals("NotAuthorizedForSourceException", answer.entries().get(4).errorCode());
        assertEquals(1, runtime.recorded().size());

        var tooMany = assertThrows(EventBridgeException.class, () -> runtime.client.putEvents(b -> b.entries(
                java.util.Collections.nCopies(11, entry("x", "{}")))));
        assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
    }

    @Test
    void anAlarmStartsTheWorkflowWithTheInputTheTransformerBuilds() throws Exception {
        var machine = runtime.stepFunctions.createStateMachine("fleetrun-rolling-run",
                "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}",
                "arn:aws:iam::123456789012:role/sfn", "STANDARD");
        runtime.client.putRule(b -> b.name("Alarm-restart-web").eventPattern(EventPatternTest.ALARM_JOB));
        // As CDK renders RuleTargetInput.fromObject with EventField paths (JobTriggers / TriggerInput.alarm).
        runtime.client.putTargets(b -> b.rule("Alarm-restart-web").targets(Target.builder().id("Target0")
                .arn(machine.arn()).inputTransformer(InputTransformer.builder()
                        .inputPathsMap(Map.of("detail-alarmName", "$.detail.alarmName", "resources-0-", "$.resources[0]",
                                "time", "$.time", "instance",
                                "$.detail.configuration.metrics[0].metricStat.metric.dimensions.InstanceId"))
                        .inputTemplate("{\"commands\":[\"/opt/cleanup.sh\"],\"instanceIds\":[<instance>],"
                                + "\"trigger\":{\"type\":\"alarm\",\"alarmName\":<detail-alarmName>,\"alarmArn\":<resources-0->,"
                                + "\"time\":<time>,\"note\":\"alarm <detail-alarmName> on <instance>\",\"rule\":\"<aws.events.rule-name>\"}}")
                        .build()).build()));
        runtime.bus.publish(RepoFiles.event("triggers/alarm-state-change.json"));
        runtime.settle();

        List<Execution> started = runtime.stepFunctions.listExecutions(machine.arn(), null);
        assertEquals(1, started.size());
        JsonNode input = started.get(0).info().input();
        assertEquals(EngineHarness.json("""
                {"commands": ["/opt/cleanup.sh"], "instanceIds": ["i-0f9e8d7c6b5a40312"],
                 "trigger": {"type": "alarm", "alarmName": "web-disk-full",
                             "alarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-disk-full",
                             "time": "2024-05-14T10:15:40Z", "note": "alarm web-disk-full on i-0f9e8d7c6b5a40312",
                             "rule": "Alarm-restart-web"}}"""), input);
    }

    @Test
    void inputPathAndConstantInputReplaceTheEvent() {
        runtime.client.putRule(b -> b.name("ssm-status").eventPattern(EventPatternTest.SSM_STATUS));
        runtime.client.putTargets(b -> b.rule("ssm-status").targets(
                Target.builder().id("detail").arn(runtime.recorderArn).inputPath("$.detail").build(),
                Target.builder().id("constant").arn(runtime.recorderArn).input("{\"poll\": true}").build()));
        runtime.bus.publish(RepoFiles.event("ssm/invocation-success.json"));
        runtime.bus.publish(RepoFiles.event("ssm/invocation-in-progress.json"));
        runtime.settle();

        List<JsonNode> got = runtime.recorded();
        assertEquals(2, got.size(), "the in-progress event matches no rule: " + got);
        assertTrue(got.contains(RepoFiles.event("ssm/invocation-success.json").get("detail")));
        assertTrue(got.contains(EngineHarness.json("{\"poll\": true}")));
    }

    @Test
    void rulesAndTargetsCanBeReadBackChangedAndDeleted() {
        ruleToRecorder("fleetrun-events", FLEETRUN_EVENTS);
        runtime.client.putRule(b -> b.name("nightly").scheduleExpression("cron(0 2 * * ? *)").state(RuleState.DISABLED)
                .description("nightly patch window"));

        var described = runtime.client.describeRule(b -> b.name("nightly"));
        assertEquals("cron(0 2 * * ? *)", described.scheduleExpression());
        assertEquals(RuleState.DISABLED, described.state());
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/nightly", described.arn());
        assertEquals("default", described.eventBusName());
        assertEquals(List.of("fleetrun-events"), runtime.client.listRules(b -> b.namePrefix("fleet")).rules().stream()
                .map(r -> r.name()).toList());
        assertEquals(List.of("recorder"), runtime.client.listTargetsByRule(b -> b.rule("fleetrun-events")).targets()
                .stream().map(Target::id).toList());

        var refused = assertThrows(EventBridgeException.class, () -> runtime.client.deleteRule(b -> b.name("fleetrun-events")));
        assertEquals("ValidationException", refused.awsErrorDetails().errorCode());
        runtime.client.removeTargets(b -> b.rule("fleetrun-events").ids("recorder"));
        runtime.client.deleteRule(b -> b.name("fleetrun-events"));
        assertThrows(ResourceNotFoundException.class, () -> runtime.client.describeRule(b -> b.name("fleetrun-events")));

        runtime.client.putEvents(b -> b.entries(entry("Fleetrun Run Started", "{}")));
        runtime.settle();
        assertTrue(runtime.recorded().isEmpty(), "the deleted rule delivers nothing");
    }

    @Test
    void aDisabledRuleDeliversNothingUntilEnabled() {
        ruleToRecorder("fleetrun-events", FLEETRUN_EVENTS);
        runtime.client.disableRule(b -> b.name("fleetrun-events"));
        runtime.client.putEvents(b -> b.entries(entry("Fleetrun Run Started", "{}")));
        runtime.settle();
        assertTrue(runtime.recorded().isEmpty());
        runtime.client.enableRule(b -> b.name("fleetrun-events"));
        runtime.client.putEvents(b -> b.entries(entry("Fleetrun Run Started", "{}")));
        runtime.settle();
        assertEquals(1, runtime.recorded().size());
    }

    @Test
    void badPatternsSchedulesAndRulesAreRefusedWithEventBridgesErrors() {
        var pattern = assertThrows(InvalidEventPatternException.class,
                () -> runtime.client.putRule(b -> b.name("bad").eventPattern("{\"source\": \"fleetrun\"}")));
        assertTrue(pattern.awsErrorDetails().errorMessage().startsWith("Event pattern is not valid. Reason: "));
        var schedule = assertThrows(EventBridgeException.class,
                () -> runtime.client.putRule(b -> b.name("bad").scheduleExpression("rate(1 minutes)")));
        assertEquals("ValidationException", schedule.awsErrorDetails().errorCode());
        assertThrows(ResourceNotFoundException.class, () -> runtime.client.putTargets(b -> b.rule("missing")
                .targets(Target.builder().id("t").arn(runtime.recorderArn).build())));
        assertThrows(ResourceNotFoundException.class, () -> runtime.client.putRule(b -> b.name("r")
                .eventPattern(FLEETRUN_EVENTS).eventBusName("custom")));
    }

    @Test
    void aTargetThisRuntimeCannotReachIsRefusedOnItsOwn() {
        runtime.client.putRule(b -> b.name("fleetrun-events").eventPattern(FLEETRUN_EVENTS));
        var answer = runtime.client.putTargets(b -> b.rule("fleetrun-events").targets(
                Target.builder().id("queue").arn("arn:aws:sqs:us-east-1:123456789012:alerts").build(),
                Target.builder().id("recorder").arn(runtime.recorderArn).build()));
        assertEquals(1, answer.failedEntryCount());
        assertEquals("queue", answer.failedEntries().get(0).targetId());
        assertEquals("NotImplementedLocally", answer.failedEntries().get(0).errorCode());
        assertEquals(List.of("recorder"), runtime.bus.listTargetsByRule("fleetrun-events", null).stream()
                .map(dev.fleetrun.local.events.Target::id).toList());
    }

    @Test
    void aMissingFunctionIsNotRetriedAndEndsInTheBusDeadLetters() {
        runtime.client.putRule(b -> b.name("fleetrun-events").eventPattern(FLEETRUN_EVENTS));
        runtime.client.putTargets(b -> b.rule("fleetrun-events").targets(Target.builder().id("gone")
                .arn("arn:aws:lambda:us-east-1:123456789012:function:Gone").build()));
        runtime.client.putEvents(b -> b.entries(entry("Fleetrun Run Started", "{}")));
        runtime.settle();

        List<Delivery> dead = runtime.bus.deadLetters();
        assertEquals(1, dead.size());
        assertEquals(1, dead.get(0).attempt());
        assertTrue(dead.get(0).error().startsWith("ResourceNotFoundException"), dead.get(0).error());
    }

    @Test
    void lambdaTargetsGetLambdasAsyncRetries() {
        ruleToRecorder("fleetrun-events", FLEETRUN_EVENTS);
        runtime.lambdas.failNext("Recorder", 1, LambdaFault.functionError("java.lang.IllegalStateException", "once"));
        runtime.client.putEvents(b -> b.entries(entry("Fleetrun Wave Completed", "{\"wave\": 1}")));
        runtime.settle();
        assertEquals(2, runtime.lambdas.invocationCount("Recorder"));
        assertEquals(1, runtime.recorded().size());

        runtime.lambdas.failNext("Recorder", 3, LambdaFault.functionError("java.lang.IllegalStateException", "always"));
        runtime.client.putEvents(b -> b.entries(entry("Fleetrun Wave Completed", "{\"wave\": 2}")));
        runtime.settle();
        assertEquals(5, runtime.lambdas.invocationCount("Recorder"));
        assertEquals(1, runtime.lambdas.deadLetters().size());
        assertEquals(2, runtime.lambdas.deadLetters().get(0).payload().path("detail").path("wave").asInt());
        assertTrue(runtime.bus.deadLetters().isEmpty(), "EventBridge handed it to Lambda: the bus delivery succeeded");
    }

    @Test
    void testEventPatternAnswersWithEventRuler() {
        String event = RepoFiles.event("ssm/invocation-success.json").toString();
        assertTrue(runtime.client.testEventPattern(b -> b.eventPattern(EventPatternTest.SSM_STATUS).event(event)).result());
        assertFalse(runtime.client.testEventPattern(b -> b.eventPattern(FLEETRUN_EVENTS).event(event)).result());
    }
}
