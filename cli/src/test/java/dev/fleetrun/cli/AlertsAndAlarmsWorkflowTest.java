package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.local.testing.AwsCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Alerts and alarms" walkthrough, command for command, against {@code ./fleetrun serve --jobs
 * local/examples/jobs.json} started as a user starts it: a queue subscribed to the alert topic receives the breach
 * alert in SNS's envelope, a queue behind an EventBridge rule receives fleetrun's events, and an alarm set to ALARM
 * with the AWS CLI starts the remediation run of the alarm job on the alarm's instance. Each line runs in a shell of
 * its own after {@code eval "$(./fleetrun env)"}, as in a second terminal. Needs the AWS CLI (skipped without it,
 * required under {@code CI=true}).
 */
class AlertsAndAlarmsWorkflowTest {
    /**
     * The README's commands, in its order (serve aside). {@code aws sqs} takes {@code --endpoint-url}: the AWS CLI v1
     * sets SQS's endpoint itself ({@code https://queue.amazonaws.com} in us-east-1, awscli's
     * customizations/overridesslcommonname.py) unless the command line names one, so AWS_ENDPOINT_URL alone is not
     * enough there.
     */
    static final String SQS = "aws sqs --endpoint-url \"$AWS_ENDPOINT_URL\" ";
    static final String CREATE_ALERT_QUEUE = SQS + "create-queue --queue-name ops-alerts";
    static final String SUBSCRIBE = "aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:fleetrun-alerts"
            + " --protocol sqs --notification-endpoint arn:aws:sqs:us-east-1:123456789012:ops-alerts";
    static final String CREATE_EVENTS_QUEUE = SQS + "create-queue --queue-name fleetrun-events";
    static final String PUT_RULE = "aws events put-rule --name fleetrun-events --event-pattern '{\"source\": [\"fleetrun\"]}'";
    static final String PUT_TARGETS = "aws events put-targets --rule fleetrun-events"
            + " --targets Id=queue,Arn=arn:aws:sqs:us-east-1:123456789012:fleetrun-events";
    static final String BREACH = "./fleetrun run --commands 'exit 3' --max-errors 0 --targets tag:Environment=staging";
    static final String READ_ALERT = SQS + "receive-message --queue-url \"$AWS_ENDPOINT_URL/123456789012/ops-alerts\""
            + " --wait-time-seconds 10";
    static final String READ_EVENTS = SQS + "receive-message --queue-url \"$AWS_ENDPOINT_URL/123456789012/fleetrun-events\""
            + " --max-number-of-messages 10";
    static final String PUT_ALARM = "aws cloudwatch put-metric-alarm --alarm-name web-disk-full --namespace CWAgent"
            + " --metric-name disk_used_percent --dimensions Name=InstanceId,Value=i-00000000000000003 --statistic Average"
            + " --period 300 --evaluation-periods 1 --threshold 80 --comparison-operator GreaterThanThreshold";
    static final String SET_ALARM = "aws cloudwatch set-alarm-state --alarm-name web-disk-full --state-value ALARM"
            + " --state-reason 'Threshold Crossed: 97.3 > 80'";
    static final String LATEST_RUN = "run=$(aws stepfunctions list-executions --state-machine-arn"
            + " arn:aws:states:us-east-1:123456789012:stateMachine:fleetrun-rolling-run --query 'executions[0].name'"
            + " --output text)";
    static final String STATUS = "./fleetrun status \"$run\"";

    private static ServeProcess serve;

    @BeforeAll
    static void start() throws Exception {
        AwsCli.require("the README's alerts and alarms walkthrough", () -> null, () -> null);
        serve = ServeProcess.start("--port", "0", "--jobs", "local/examples/jobs.json");
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void aBreachAlertIsReadFromASubscribedQueueAndAnAlarmStartsTheRemediationRun() throws Exception {
        assertContains(serve.stderrText(), "1 job(s) from local/examples/jobs.json: [clean-logs-on-disk-full]");
        for (String line : List.of(CREATE_ALERT_QUEUE, SUBSCRIBE, CREATE_EVENTS_QUEUE, PUT_RULE, PUT_TARGETS)) {
            ok(line);
        }
        ServeProcess.Result breach = inTerminal(BREACH);
        assertEquals(3, breach.exitCode(), "the run breaches: " + breach.stdout() + breach.stderr());
        String runId = breach.stdout().lines().filter(l -> l.startsWith("run ") && l.contains(": BREACHED"))
                .map(l -> l.substring(4, l.indexOf(':'))).findFirst()
                .orElseThrow(() -> new AssertionError("no 'run ...: BREACHED' line in:\n" + breach.stdout()));

        JsonNode alert = Json.parse(ok(READ_ALERT)).path("Messages").get(0);
        JsonNode envelope = Json.parse(alert.path("Body").asText());
        assertEquals("Notification", envelope.path("Type").asText());
        assertEquals("arn:aws:sns:us-east-1:123456789012:fleetrun-alerts", envelope.path("TopicArn").asText());
        assertEquals("fleetrun: run " + runId + " BREACHED", envelope.path("Subject").asText());
        assertContains(envelope.path("Message").asText(), runId);

        List<String> events = new ArrayList<>();
        for (JsonNode message : Json.parse(ok(READ_EVENTS)).path("Messages")) {
            JsonNode event = Json.parse(message.path("Body").asText());
            assertEquals("fleetrun", event.path("source").asText());
            events.add(event.path("detail-type").asText());
        }
        assertTrue(events.containsAll(List.of("Fleetrun Run Started", "Fleetrun Run Breached", "Fleetrun Run Finished")),
                "fleetrun's events reach the queue: " + events);

        ok(PUT_ALARM);
        ok(SET_ALARM);
        String status = "";
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!status.contains("SUCCEEDED") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            ServeProcess.Result r = inTerminal(LATEST_RUN + " && echo \"$run\" && " + STATUS);
            status = r.stdout();
        }
        assertContains(status, "(clean-logs-on-disk-full): SUCCEEDED");
        String alarmRun = status.lines().findFirst().orElseThrow();
        JsonNode execution = Json.parse(ok("aws stepfunctions describe-execution --execution-arn"
                + " arn:aws:states:us-east-1:123456789012:execution:fleetrun-rolling-run:" + alarmRun));
        JsonNode input = Json.parse(execution.path("input").asText());
        assertEquals("alarm", input.path("trigger").path("type").asText());
        assertEquals("web-disk-full", input.path("trigger").path("alarmName").asText());
        assertEquals("i-00000000000000003", input.path("instanceIds").get(0).asText());
    }

    /** The README shows exactly the commands this test runs, in its order. */
    @Test
    void theReadmeWalkthroughIsTheseCommands() throws Exception {
        String readme = java.nio.file.Files.readString(ServeProcess.ROOT.resolve("README.md"));
        int start = readme.indexOf("### Alerts and alarms");
        assertTrue(start >= 0, "the README has its 'Alerts and alarms' subsection");
        int next = readme.indexOf("\n##", start + 1); // the next heading, of a section or a subsection
        String section = readme.substring(start, next < 0 ? readme.length() : next);
        List<String> shown = new ArrayList<>();
        boolean inCode = false;
        for (String line : section.lines().toList()) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (inCode) {
                shown.add(line.replaceAll("\\s+# .*$", "").strip());
            }
        }
        assertEquals(List.of("./fleetrun serve --jobs local/examples/jobs.json", "eval \"$(./fleetrun env)\"",
                CREATE_ALERT_QUEUE, SUBSCRIBE, CREATE_EVENTS_QUEUE, PUT_RULE, PUT_TARGETS, BREACH, READ_ALERT, READ_EVENTS,
                PUT_ALARM, SET_ALARM, LATEST_RUN, STATUS), shown);
    }

    /** A line typed in the second terminal: after {@code eval "$(./fleetrun env)"}. */
    private static ServeProcess.Result inTerminal(String line) throws Exception {
        return serve.shell("eval \"$(./fleetrun env)\" && " + line);
    }

    /** {@link #inTerminal}, which must succeed; its standard output. */
    private static String ok(String line) throws Exception {
        ServeProcess.Result r = inTerminal(line);
        assertEquals(0, r.exitCode(), line + " failed: " + r.stderr());
        return r.stdout();
    }
}
