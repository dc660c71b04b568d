package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.domain.RunRequestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sample jobs file (src/test/resources/jobs/sample-jobs.json) becomes one rule per job: schedules with a constant
 * input, the alarm job with an input transformer that makes the alarm's instance the run's target.
 */
class JobTriggersTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode ruleOf(String constructId) {
        Synthesized s = Synthesized.configured();
        return Rules.rule(s, s.stack.getNode().findChild("Jobs").getNode().findChild(constructId));
    }

    private static JsonNode sampleJob(int index) throws IOException {
        return JSON.readTree(Files.readString(Synthesized.SAMPLE_JOBS)).path("jobs").path(index);
    }

    @Test
    void scheduledJobRunsOnItsCronExpression() {
        assertEquals("cron(0 3 ? * SUN *)", ruleOf("Schedule-weekly-patch-web").path("Properties").path("ScheduleExpression").asText());
    }

    @Test
    void scheduledJobStartsTheWorkflowWithItsRequestAndAScheduleTrigger() throws IOException {
        JsonNode expected = sampleJob(0).path("request").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).set("trigger", JSON.valueToTree(Map.of(
                "type", "schedule", "job", "weekly-patch-web", "schedule", "cron(0 3 ? * SUN *)")));
        String input = ruleOf("Schedule-weekly-patch-web").path("Properties").path("Targets").path(0).path("Input").asText();
        assertEquals(expected, JSON.readTree(input));
    }

    @Test
    void scheduledJobTargetsTheRollingRunStateMachineWithTheDeadLetterQueue() {
        Synthesized s = Synthesized.configured();
        JsonNode target = ruleOf("Schedule-weekly-patch-web").path("Properties").path("Targets").path(0);
        assertEquals(List.of(Map.of("Ref", s.logicalId(s.stack.mainWorkflow().stateMachine())),
                        Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack.deadLetters()), "Arn"))),
                List.of(JSON.convertValue(target.path("Arn"), Map.class), JSON.convertValue(target.path("DeadLetterConfig").path("Arn"), Map.class)));
    }

    @Test
    void disabledJobKeepsItsRuleSwitchedOff() {
        assertEquals("DISABLED", ruleOf("Schedule-hourly-disk-report").path("Properties").path("State").asText());
    }

    @Test
    void alarmJobRuleMatchesItsAlarmGoingToAlarm() {
        assertEquals(JSON.valueToTree(Map.of(
                        "source", List.of("aws.cloudwatch"),
                        "detail-type", List.of("CloudWatch Alarm State Change"),
                        "detail", Map.of("alarmName", List.of("web-disk-full"), "state", Map.of("value", List.of("ALARM"))))),
                ruleOf("Alarm-clean-logs-on-disk-full").path("Properties").path("EventPattern"));
    }

    @Test
    void alarmJobRuleMatchesTheSampleAlarmEvent() {
        assertTrue(Rules.matches(ruleOf("Alarm-clean-logs-on-disk-full").path("Properties").path("EventPattern"),
                "triggers/alarm-state-change.json"));
    }

    /**
     * What EventBridge would start the execution with for events/triggers/alarm-state-change.json: the input
     * template with each {@code <name>} replaced by the value at its path, as JSON (EventBridge quotes a string
     * put where the template has no quotes, which is how CDK writes the template).
     * The start function's parser accepts it, and the run targets the alarm's instance.
     */
    @Test
    void alarmJobStartsARunOnTheInstanceTheAlarmNames() throws Exception {
        JsonNode transformer = ruleOf("Alarm-clean-logs-on-disk-full").path("Properties").path("Targets").path(0).path("InputTransformer");
        JsonNode event = JSON.readTree(Files.readString(Synthesized.ROOT.resolve("events/triggers/alarm-state-change.json")));
        Matcher m = Pattern.compile("<([A-Za-z0-9_.\\-]+)>").matcher(transformer.path("InputTemplate").asText());
        StringBuilder rendered = new StringBuilder();
        while (m.find()) {
            String path = transformer.path("InputPathsMap").path(m.group(1)).asText();
            m.appendReplacement(rendered, Matcher.quoteReplacement(JsonPaths.read(event, path).toString()));
        }
        m.appendTail(rendered);
        RunRequest request = new RunRequestParser(Set.of("AWS-RunShellScript")).parse(JSON.readTree(rendered.toString()));
        assertEquals(List.of("i-0f9e8d7c6b5a40312"), request.instanceIds());
    }

    @Test
    void defaultsHaveNoJobRules() {
        Synthesized.defaults().template.resourceCountIs("AWS::Events::Rule", 2);
    }
}
