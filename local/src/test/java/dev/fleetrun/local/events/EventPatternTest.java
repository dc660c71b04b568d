package dev.fleetrun.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.RepoFiles;
import dev.fleetrun.local.wire.AwsError;
import org.junit.jupiter.api.Test;

/**
 * The patterns fleetrun's stack deploys (infra's StatusRouting and JobTriggers), matched by event-ruler against
 * the sample events under events/: what the bus routes is what EventBridge would route.
 */
class EventPatternTest {

    /** StatusRouting's SSM rule: terminal statuses of the allowed documents. */
    static final String SSM_STATUS = """
            {"source": ["aws.ssm"],
             "detail-type": ["EC2 Command Status-change Notification", "EC2 Command Invocation Status-change Notification"],
             "detail": {"document-name": ["AWS-RunShellScript", "AWS-RunPowerShellScript"],
                        "status": ["Success", "Failed", "TimedOut", "Cancelled"]}}""";
    /** StatusRouting's execution rule: unfinished ends of fleetrun's state machine. */
    static final String EXECUTION_STATUS = """
            {"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"],
             "detail": {"status": ["ABORTED", "FAILED", "TIMED_OUT"],
                        "stateMachineArn": ["arn:aws:states:us-east-1:123456789012:stateMachine:fleetrun-rolling-run"]}}""";
    /** An alarm job of JobTriggers. */
    static final String ALARM_JOB = """
            {"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
             "detail": {"alarmName": ["web-disk-full"], "state": {"value": ["ALARM"]}}}""";

    private static boolean matches(String pattern, String fixture) {
        return EventBus.matches(pattern, RepoFiles.event(fixture));
    }

    @Test
    void theStatusRuleTakesTerminalStatusesOfAllowedDocuments() {
        assertTrue(matches(SSM_STATUS, "ssm/invocation-success.json"));
        assertTrue(matches(SSM_STATUS, "ssm/invocation-failed.json"));
        assertTrue(matches(SSM_STATUS, "ssm/invocation-timed-out.json"));
        assertTrue(matches(SSM_STATUS, "ssm/invocation-cancelled.json"));
        assertTrue(matches(SSM_STATUS, "ssm/command-success.json"));
        assertTrue(matches(SSM_STATUS, "ssm/command-failed.json"));
        assertTrue(matches(SSM_STATUS, "ssm/invocation-foreign-run-shell-script.json"),
                "same document, another tool's command: the listener, not the rule, ignores it");
    }

    @Test
    void theStatusRuleLeavesOutProgressAndOtherDocuments() {
        assertFalse(matches(SSM_STATUS, "ssm/invocation-in-progress.json"));
        assertFalse(matches(SSM_STATUS, "ssm/invocation-foreign-refresh-association.json"));
        assertFalse(matches(SSM_STATUS, "triggers/alarm-state-change.json"));
    }

    @Test
    void theExecutionRuleTakesFailedAndAbortedRuns() {
        assertTrue(matches(EXECUTION_STATUS, "sfn/execution-failed.json"));
        assertTrue(matches(EXECUTION_STATUS, "sfn/execution-aborted.json"));
        assertFalse(matches(EXECUTION_STATUS, "ssm/invocation-success.json"));
    }

    @Test
    void anAlarmJobTakesItsAlarmGoingIntoAlarm() {
        assertTrue(matches(ALARM_JOB, "triggers/alarm-state-change.json"));
        assertFalse(matches(ALARM_JOB.replace("web-disk-full", "other-alarm"), "triggers/alarm-state-change.json"));
        assertFalse(matches(ALARM_JOB.replace("\"ALARM\"", "\"OK\""), "triggers/alarm-state-change.json"));
    }

    @Test
    void contentFiltersWorkAsInEventBridge() {
        assertTrue(matches("{\"detail\": {\"status\": [{\"anything-but\": [\"InProgress\"]}]}}", "ssm/invocation-failed.json"));
        assertTrue(matches("{\"detail\": {\"instance-id\": [{\"prefix\": \"i-0a1b\"}]}}", "ssm/invocation-success.json"));
        assertFalse(matches("{\"detail\": {\"exit-code\": [{\"exists\": true}]}}", "ssm/invocation-success.json"));
        assertTrue(matches("{\"resources\": [\"arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718\"]}",
                "ssm/invocation-success.json"));
    }

    @Test
    void anInvalidPatternIsRefusedWithEventBridgesError() {
        AwsError error = assertThrows(AwsError.class, () -> EventBus.checkPattern("{\"source\": \"aws.ssm\"}"));
        assertEquals("InvalidEventPatternException", error.code());
        assertTrue(error.getMessage().startsWith("Event pattern is not valid. Reason: "), error.getMessage());
        assertThrows(AwsError.class, () -> EventBus.checkPattern("{\"source\": [\"aws.ssm\""));
    }
}
