package dev.fleetrun.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.events.EventSelector;
import dev.fleetrun.local.events.RuntimeBus;
import dev.fleetrun.local.lambda.Invocation;
import dev.fleetrun.local.lambda.LambdaServiceException;
import dev.fleetrun.local.testing.RepoFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** Each fault on demand, seen from the receiving side: what a Lambda target got, when, and in which order. */
class FaultsComponentTest {
    private static final String INVOCATION = "EC2 Command Invocation Status-change Notification";
    private static final EventSelector SSM_INVOCATIONS = new EventSelector("aws.ssm", INVOCATION);

    private RuntimeBus runtime;
    private Faults faults;
    private Instant start;

    @BeforeEach
    void start() {
        runtime = new RuntimeBus();
        faults = new Faults(runtime.bus, runtime.lambdas).api(runtime.events);
        start = runtime.clock.now();
        runtime.bus.putRule("ssm-status", "{\"source\": [\"aws.ssm\"]}");
        runtime.bus.putTargets("ssm-status", List.of(dev.fleetrun.local.events.Target.of("listener", runtime.recorderArn)),
                null);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static JsonNode event(String fixture) {
        return RepoFiles.event("ssm/" + fixture + ".json");
    }

    private List<String> statusesReceived() {
        return runtime.recorded().stream().map(e -> e.path("detail").path("status").asText()).toList();
    }

    @Test
    void droppedEventsAreAcceptedButNeverDelivered() {
        faults.dropEvents(SSM_INVOCATIONS, 1);
        runtime.bus.publish(event("invocation-success"));
        runtime.bus.publish(event("invocation-failed"));
        runtime.settle();
        assertEquals(List.of("Failed"), statusesReceived());
        assertEquals(2, runtime.bus.events().size(), "both were accepted");
        assertTrue(faults.appliedToEvents().get(0).startsWith("dropped: event a7e2d9b4"), faults.appliedToEvents().toString());
    }

    @Test
    void repeatedEventsArriveAgainWithTheSameId() {
        faults.apply("repeat-events:source=aws.ssm,copies=2");
        runtime.bus.publish(event("invocation-success"));
        runtime.settle();
        List<JsonNode> got = runtime.recorded();
        assertEquals(3, got.size());
        assertEquals(1, got.stream().map(e -> e.path("id").asText()).distinct().count());
    }

    @Test
    void delayedEventsArriveLateOnTheRuntimeClock() {
        faults.apply("delay-events:detail-type=" + INVOCATION + ",delay=5m");
        try (var hold = runtime.clock.hold()) { // time stands still while the test publishes both
            runtime.bus.publish(event("invocation-success"));
            runtime.bus.publish(event("command-success"));
        }
        runtime.settle();
        List<Invocation> invocations = runtime.lambdas.invocations("Recorder");
        assertEquals(List.of("Success", "Success"), statusesReceived());
        assertEquals("EC2 Command Status-change Notification", runtime.recorded().get(0).path("detail-type").asText(),
                "the command event was not delayed and came first");
        assertEquals(start, invocations.get(0).at());
        assertEquals(start.plus(Duration.ofMinutes(5)), invocations.get(1).at());
    }

    @Test
    void reorderedEventsArriveInReverseOrder() {
        faults.reorderEvents(SSM_INVOCATIONS, 2);
        runtime.bus.publish(event("invocation-in-progress"));
        runtime.settle();
        assertTrue(runtime.recorded().isEmpty(), "held until the second arrives");
        runtime.bus.publish(event("invocation-success"));
        runtime.settle();
        // Both are released together, the later one first; the bus then delivers them concurrently (as
        // EventBridge does), so their arrival order at the target is not asserted.
        assertEquals(List.of("InProgress", "Success"), statusesReceived().stream().sorted().toList());
    }

    @Test
    void heldEventsCanBeReleasedEarly() {
        faults.apply("reorder-events:source=aws.ssm,count=3");
        runtime.bus.publish(event("invocation-in-progress"));
        runtime.bus.publish(event("invocation-success"));
        runtime.settle();
        assertTrue(runtime.recorded().isEmpty(), "held: two of the three events to reorder have come");
        faults.releaseHeldEvents();
        runtime.settle();
        // Delivered concurrently once released (see above): which arrives first is not asserted.
        assertEquals(List.of("InProgress", "Success"), statusesReceived().stream().sorted().toList());
    }

    @Test
    void aThrottledApiAnswersThrottlingExceptionOnce() {
        faults.apply("throttle:service=events,operation=PutEvents");
        var error = assertThrows(EventBridgeException.class, () -> runtime.client.putEvents(b -> b.entries(
                PutEventsRequestEntry.builder().source("fleetrun").detailType("x").detail("{}").build())));
        assertEquals("ThrottlingException", error.awsErrorDetails().errorCode());
        assertEquals(0, runtime.client.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("fleetrun")
                .detailType("x").detail("{}").build())).failedEntryCount());
        assertTrue(faults.describe().contains("api: throttle the next 1 events PutEvents call(s)"), faults.describe().toString());
    }

    @Test
    void aFailedLambdaFailsItsNextInvocations() {
        faults.apply("fail-lambda:function=Recorder,kind=service,times=2");
        assertThrows(LambdaServiceException.class, () -> runtime.lambdas.invoke("Recorder", event("invocation-success")));
        faults.apply("fail-lambda:function=Recorder,kind=error,type=Fleetrun.Boom");
        assertEquals("ServiceException", assertThrows(LambdaServiceException.class,
                () -> runtime.lambdas.invoke("Recorder", event("invocation-success"))).code());
        assertEquals("Fleetrun.Boom", runtime.lambdas.invoke("Recorder", event("invocation-success")).errorType());
        assertTrue(!runtime.lambdas.invoke("Recorder", event("invocation-success")).failed());
    }

    @Test
    void badFaultTextIsRefusedNamingTheProblem() {
        assertMessage("explode", "unknown fault 'explode'");
        assertMessage("drop-events:source=aws.ssm,tmes=2", "unknown setting 'tmes'");
        assertMessage("delay-events:source=aws.ssm", "'delay=' is required");
        assertMessage("delay-events:delay=soon", "not a duration");
        assertMessage("throttle:service=ssm,operation=SendCommand", "no API named 'ssm'");
        assertMessage("drop-events:times=0", "times must be a whole number >= 1");
        assertMessage("fail-lambda:function=Nope", "no function named 'Nope'");
    }

    private void assertMessage(String spec, String fragment) {
        var error = assertThrows(IllegalArgumentException.class, () -> faults.apply(spec));
        assertTrue(error.getMessage().contains(fragment), spec + ": " + error.getMessage());
    }

    @Test
    void scheduledRulesCanBeFaultedToo() {
        try (var hold = runtime.clock.hold()) {
            runtime.client.putRule(b -> b.name("tick").scheduleExpression("rate(1 minute)"));
            runtime.client.putTargets(b -> b.rule("tick").targets(Target.builder().id("r").arn(runtime.recorderArn).build()));
            faults.dropEvents(EventSelector.source("aws.events"), 1);
            runtime.clock.advanceTo(start.plus(Duration.ofMinutes(2)));
            runtime.settle();
            runtime.bus.close();
        }
        assertEquals(List.of(start.plus(Duration.ofMinutes(2)).toString()),
                runtime.recorded().stream().map(e -> e.path("time").asText()).toList());
    }
}
