package dev.fleetrun.cli.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.catalog.ConfigurationException;
import dev.fleetrun.catalog.jobs.Job;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.ssm.Fleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jobs of a jobs file installed on the embedded runtime ({@code fleetrun serve --jobs FILE}) as the stack deploys
 * them: an alarm job's run starts when its alarm goes to ALARM, with the trigger and the alarm's instance as its
 * target; the rules are the ones the stack's template has (names, patterns, disabled state).
 */
class JobsComponentTest {
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath().normalize();
    private static EmbeddedRuntime runtime;
    private static List<Job> installed;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.of(Fleet.generate(3, Map.of("Role", "web"))));
        installed = runtime.installJobs(ROOT.resolve("infra/src/test/resources/jobs/sample-jobs.json"));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void everyJobGetsTheRuleTheStackGivesIt() {
        assertEquals(List.of("weekly-patch-web", "clean-logs-on-disk-full", "hourly-disk-report"),
                installed.stream().map(Job::name).toList());
        assertEquals("cron(0 3 ? * SUN *)", runtime.bus().describeRule("Schedule-weekly-patch-web", null).scheduleExpression());
        assertFalse(runtime.bus().describeRule("Schedule-hourly-disk-report", null).enabled(), "a disabled job stays off");
        assertEquals(Json.parse("""
                {"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
                 "detail": {"alarmName": ["web-disk-full"], "state": {"value": ["ALARM"]}}}"""),
                Json.parse(runtime.bus().describeRule("Alarm-clean-logs-on-disk-full", null).eventPattern()));
    }

    @Test
    void anAlarmSetToAlarmStartsItsJobOnTheAlarmsInstance() throws Exception {
        String instance = Fleet.instanceId(2);
        runtime.cloudWatch().putAlarm("web-disk-full", "CWAgent", "disk_used_percent", Map.of("InstanceId", instance));
        runtime.cloudWatch().setAlarmState("web-disk-full", "ALARM", "Threshold Crossed: 97.3 > 80");

        Execution run = awaitExecution();
        JsonNode input = run.info().input();
        assertEquals(List.of(instance), List.of(input.path("instanceIds").get(0).asText()));
        JsonNode trigger = input.path("trigger");
        assertEquals("alarm", trigger.path("type").asText());
        assertEquals("clean-logs-on-disk-full", trigger.path("job").asText());
        assertEquals("web-disk-full", trigger.path("alarmName").asText());
        assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-disk-full", trigger.path("alarmArn").asText());
        assertEquals("ALARM", trigger.path("state").asText());
        assertEquals("Threshold Crossed: 97.3 > 80", trigger.path("reason").asText());
        assertEquals(instance, trigger.path("instanceId").asText());
        run.await(Duration.ofSeconds(90));
        assertEquals("SUCCEEDED", run.status().name(), "the clean-up ran: " + run.output() + " " + run.cause());
    }

    @Test
    void aJobsFileWithProblemsIsRefusedNamingThem() throws Exception {
        ConfigurationException bad = assertThrows(ConfigurationException.class,
                () -> runtime.installJobs(ROOT.resolve("infra/src/test/resources/jobs/bad-schedule.json")));
        assertTrue(bad.getMessage().contains("schedule"), bad.getMessage());
        Path missing = Files.createTempDirectory("jobs").resolve("none.json");
        ConfigurationException none = assertThrows(ConfigurationException.class, () -> runtime.installJobs(missing));
        assertTrue(none.getMessage().contains("no such file"), none.getMessage());
    }

    private static Execution awaitExecution() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Execution> executions = runtime.stepFunctions().listExecutions(runtime.stateMachineArn(), null);
            if (!executions.isEmpty()) {
                return executions.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no execution started within 30 s");
    }
}
