package dev.fleetrun.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * Scheduled rules on a held virtual clock: the test moves time by hand and sees exactly the firings due.
 * (A schedule always has a next deadline, so a virtual clock left to itself would race through them.)
 */
class ScheduledRuleComponentTest {
    private final RuntimeBus runtime = new RuntimeBus();
    private final VirtualClock.Hold hold = runtime.clock.hold();
    private final Instant start = runtime.clock.now();

    @AfterEach
    void close() {
        runtime.close();
        hold.close();
    }

    private void advance(Duration by) {
        runtime.clock.advanceTo(runtime.clock.now().plus(by));
        runtime.settle();
    }

    @Test
    void aRateRuleFiresEveryPeriodWithScheduledEvents() {
        runtime.client.putRule(b -> b.name("every-5").scheduleExpression("rate(5 minutes)"));
        runtime.client.putTargets(b -> b.rule("every-5").targets(Target.builder().id("r").arn(runtime.recorderArn).build()));
        runtime.settle();

        advance(Duration.ofMinutes(4));
        assertTrue(runtime.recorded().isEmpty(), "nothing before the first period");
        advance(Duration.ofMinutes(12));

        List<JsonNode> fired = runtime.recorded();
        assertEquals(List.of(start.plusSeconds(300).toString(), start.plusSeconds(600).toString(),
                start.plusSeconds(900).toString()), fired.stream().map(e -> e.path("time").asText()).sorted().toList(),
                "one event a period (deliveries run concurrently, as EventBridge's do, so they may arrive in any order)");
        JsonNode event = fired.stream().min(java.util.Comparator.comparing(e -> e.path("time").asText())).orElseThrow();
        assertEquals("Scheduled Event", event.path("detail-type").asText());
        assertEquals("aws.events", event.path("source").asText());
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/every-5", event.path("resources").get(0).asText());
        assertEquals(0, event.path("detail").size());
    }

    @Test
    void aCronRuleStartsTheWorkflowAtItsMinuteAndStopsWhenDisabled() {
        var machine = runtime.stepFunctions.createStateMachine("fleetrun-rolling-run",
                "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}",
                "arn:aws:iam::123456789012:role/sfn", "STANDARD");
        // VirtualClock starts at 2024-01-01T00:00Z, a Monday: the job runs at 03:00 on weekdays.
        runtime.client.putRule(b -> b.name("Schedule-patch-web").scheduleExpression("cron(0 3 ? * MON-FRI *)"));
        runtime.client.putTargets(b -> b.rule("Schedule-patch-web").targets(Target.builder().id("Target0")
                .arn(machine.arn()).input("{\"commands\": [\"patch\"], \"trigger\": {\"type\": \"schedule\"}}").build()));
        runtime.settle();

        advance(Duration.ofHours(2));
        assertTrue(runtime.stepFunctions.listExecutions(machine.arn(), null).isEmpty());
        advance(Duration.ofHours(2));
        List<Execution> started = runtime.stepFunctions.listExecutions(machine.arn(), null);
        assertEquals(1, started.size());
        assertEquals("patch", started.get(0).info().input().path("commands").get(0).asText());

        runtime.client.disableRule(b -> b.name("Schedule-patch-web"));
        runtime.settle();
        advance(Duration.ofDays(2));
        assertEquals(1, runtime.stepFunctions.listExecutions(machine.arn(), null).size(), "a disabled rule does not fire");

        runtime.client.enableRule(b -> b.name("Schedule-patch-web"));
        runtime.settle();
        advance(Duration.ofDays(1));
        assertEquals(2, runtime.stepFunctions.listExecutions(machine.arn(), null).size());
    }

    @Test
    void aDeletedScheduleStopsFiring() {
        runtime.client.putRule(b -> b.name("hourly").scheduleExpression("rate(1 hour)"));
        runtime.client.putTargets(b -> b.rule("hourly").targets(Target.builder().id("r").arn(runtime.recorderArn).build()));
        runtime.settle();
        advance(Duration.ofMinutes(61));
        assertEquals(1, runtime.recorded().size());

        runtime.client.deleteRule(b -> b.name("hourly").force(true));
        runtime.settle();
        advance(Duration.ofHours(5));
        assertEquals(1, runtime.recorded().size());
    }
}
