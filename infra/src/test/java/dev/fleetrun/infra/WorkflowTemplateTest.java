package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fleetrun.catalog.FleetrunFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The state machine comes from statemachines/rolling-run.asl.json, unchanged, with its placeholders substituted. */
class WorkflowTemplateTest {

    private static final String STATE_MACHINE = "AWS::StepFunctions::StateMachine";

    private static Workflow rollingRun() {
        return Synthesized.configured().stack.mainWorkflow();
    }

    @Test
    void isAStandardWorkflow() {
        Synthesized.configured().template.hasResourceProperties(STATE_MACHINE, Map.of("StateMachineType", "STANDARD"));
    }

    @Test
    void deploysTheDefinitionFileVerbatimButForThePartitionOfItsArns() throws IOException {
        String file = Files.readString(Synthesized.ROOT.resolve("statemachines/rolling-run.asl.json"));
        Synthesized s = Synthesized.configured();
        assertEquals(file.replace("\"arn:aws:states:::lambda:invoke\"", "\"${StatesLambdaInvokeArn}\"")
                .replace("\"arn:aws:states:::lambda:invoke.waitForTaskToken\"", "\"${StatesLambdaInvokeWaitForTaskTokenArn}\""),
                definitionString(s));
    }

    @Test
    void substitutesEveryPlaceholderWithItsFunctionsLiveAliasAndThePartitionOfTheStack() {
        Synthesized s = Synthesized.configured();
        Map<String, Object> expected = new TreeMap<>();
        for (String placeholder : rollingRun().definition().placeholders()) {
            FleetrunFunction f = FleetrunFunction.byPlaceholder(placeholder).orElseThrow();
            expected.put(placeholder, Map.of("Ref", s.logicalId(s.stack.functions().get(f).alias())));
        }
        for (String integration : java.util.List.of("lambda:invoke", "lambda:invoke.waitForTaskToken")) {
            expected.put(WorkflowDefinition.arnPlaceholder("states:::" + integration), Map.of("Fn::Join", java.util.List.of("",
                    java.util.List.of("arn:", Map.of("Ref", "AWS::Partition"), ":states:::" + integration))));
        }
        assertEquals(JSON.valueToTree(expected), substitutions(s));
    }

    @Test
    void inChinaTheTasksInvokeLambdaThroughTheAwsCnPartition() {
        Synthesized s = Synthesized.configuredInChina();
        assertEquals(java.util.List.of("arn:aws-cn:states:::lambda:invoke", "arn:aws-cn:states:::lambda:invoke.waitForTaskToken"),
                java.util.List.of(substitutions(s).path("StatesLambdaInvokeArn").asText(),
                        substitutions(s).path("StatesLambdaInvokeWaitForTaskTokenArn").asText()));
    }

    @Test
    void noDeployedDefinitionWritesAnArnOfTheAwsPartition() {
        Set<String> writing = new TreeSet<>();
        for (Synthesized s : Synthesized.all()) {
            if (definitionString(s).contains("arn:aws:")) {
                writing.add(s.name);
            }
        }
        assertEquals(Set.of(), writing);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String definitionString(Synthesized s) {
        return s.json.path("Resources").path(s.logicalId(s.stack.mainWorkflow().stateMachine()))
                .path("Properties").path("DefinitionString").asText();
    }

    private static com.fasterxml.jackson.databind.JsonNode substitutions(Synthesized s) {
        return s.json.path("Resources").path(s.logicalId(s.stack.mainWorkflow().stateMachine()))
                .path("Properties").path("DefinitionSubstitutions");
    }

    @Test
    void logsEveryEventWithItsData() {
        Synthesized.configured().template.hasResourceProperties(STATE_MACHINE, Map.of("LoggingConfiguration",
                Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", true))));
    }

    @Test
    void logsToAVendedLogGroupWithTheChosenRetention() {
        Synthesized.configured().template.hasResourceProperties("AWS::Logs::LogGroup", Map.of(
                "LogGroupName", Match.stringLikeRegexp("/aws/vendedlogs/states/.*-rolling-run"),
                "RetentionInDays", 90));
    }

    @Test
    void isTracedByXRay() {
        Synthesized.configured().template.hasResourceProperties(STATE_MACHINE, Map.of("TracingConfiguration",
                Map.of("Enabled", true)));
    }

    @Test
    void mayInvokeExactlyTheAliasesItNames() {
        Synthesized s = Synthesized.configured();
        String role = s.logicalId(rollingRun().stateMachine().getRole());
        Set<String> invoked = Policies.ofRole(s, role).stream().filter(st -> st.allows("lambda:InvokeFunction"))
                .flatMap(st -> st.resources().stream()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> named = rollingRun().definition().placeholders().stream()
                .map(p -> "{\"Ref\":\"" + s.logicalId(s.stack.functions().get(FleetrunFunction.byPlaceholder(p).orElseThrow()).alias()) + "\"}")
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(named, invoked);
    }
}
