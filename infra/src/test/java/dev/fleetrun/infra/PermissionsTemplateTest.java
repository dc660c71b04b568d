package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.catalog.FleetrunFunction;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Least privilege, read from the synthesized template. */
class PermissionsTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Granted to every function: its own log group, X-Ray, the records table. */
    private static final Set<String> EVERY_FUNCTION = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable",
            "dynamodb:GetRecords", "dynamodb:GetShardIterator");

    /** What each function calls beyond that, written out here independently of FunctionPermissions. */
    private static final Map<FleetrunFunction, Set<String>> EXPECTED = new EnumMap<>(Map.of(
            FleetrunFunction.START_RUN, Set.of("ssm:DescribeInstanceInformation", "resource-groups:ListGroupResources",
                    "tag:GetResources", "cloudwatch:DescribeAlarms", "events:PutEvents"),
            FleetrunFunction.SEND_WAVE, Set.of("ssm:SendCommand", "ssm:ListCommands", "ssm:DescribeInstanceInformation",
                    "ssm:CancelCommand", "states:SendTaskSuccess", "states:SendTaskFailure"),
            FleetrunFunction.STATUS_LISTENER, Set.of("ssm:GetCommandInvocation", "ssm:ListCommandInvocations",
                    "ssm:ListCommands", "ssm:CancelCommand", "states:SendTaskSuccess", "states:SendTaskHeartbeat",
                    "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
            FleetrunFunction.RECONCILE, Set.of("ssm:ListCommandInvocations", "ssm:CancelCommand"),
            FleetrunFunction.EVALUATE, Set.of("cloudwatch:DescribeAlarms", "events:PutEvents"),
            FleetrunFunction.REQUEST_APPROVAL, Set.of("events:PutEvents", "sns:Publish", "kms:GenerateDataKey", "kms:Decrypt",
                    "states:SendTaskSuccess", "states:SendTaskFailure"),
            FleetrunFunction.ROLLBACK, Set.of(),
            FleetrunFunction.FINISH, Set.of("ssm:CancelCommand", "events:PutEvents", "sns:Publish",
                    "kms:GenerateDataKey", "kms:Decrypt", "states:SendTaskSuccess", "states:SendTaskFailure"),
            FleetrunFunction.CLEANUP, Set.of("ssm:CancelCommand", "events:PutEvents", "sns:Publish",
                    "kms:GenerateDataKey", "kms:Decrypt", "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")));

    /**
     * Actions that accept only {@code "*"} as resource (no resource type in the service authorization reference):
     * SSM's list/get/cancel calls, the Tagging API's GetResources, X-Ray, and the CloudWatch Logs delivery calls Step
     * Functions logging makes.
     */
    private static final Set<String> STAR_ONLY = Set.of("ssm:DescribeInstanceInformation", "ssm:ListCommands", "tag:GetResources",
            "ssm:ListCommandInvocations", "ssm:GetCommandInvocation", "ssm:CancelCommand",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups");

    private static String role(Synthesized s, FleetrunFunction f) {
        return s.logicalId(s.stack.functions().get(f).role());
    }

    private static List<Policies.Statement> allowing(Synthesized s, String action) {
        return Policies.identityStatements(s).stream().filter(st -> st.allows(action)).toList();
    }

    private static String stateMachineRef(Synthesized s) {
        return "{\"Ref\":\"" + s.logicalId(s.stack.mainWorkflow().stateMachine()) + "\"}";
    }

    @ParameterizedTest
    @EnumSource(FleetrunFunction.class)
    void eachFunctionMayCallOnlyWhatItsHandlerCalls(FleetrunFunction f) {
        Synthesized s = Synthesized.configured();
        Set<String> extra = new TreeSet<>(Policies.actionsOfRole(s, role(s, f)));
        extra.removeAll(EVERY_FUNCTION);
        assertEquals(new TreeSet<>(EXPECTED.get(f)), extra);
    }

    @ParameterizedTest
    @EnumSource(FleetrunFunction.class)
    void eachFunctionMayWriteTheRecordsTableAndItsIndexes(FleetrunFunction f) {
        Synthesized s = Synthesized.configured();
        String table = s.logicalId(s.stack.records().table());
        Set<String> resources = Policies.ofRole(s, role(s, f)).stream().filter(st -> st.allows("dynamodb:PutItem"))
                .flatMap(st -> st.resources().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("{\"Fn::GetAtt\":[\"" + table + "\",\"Arn\"]}",
                "{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":[\"" + table + "\",\"Arn\"]},\"/index/*\"]]}")), resources);
    }

    @Test
    void noPolicyAnywhereAllowsAWildcardAction() {
        Set<String> wildcards = new TreeSet<>();
        for (Synthesized s : Synthesized.all()) {
            for (Policies.Statement st : concat(Policies.identityStatements(s), Policies.resourceStatements(s))) {
                if (st.json().path("Effect").asText().equals("Allow")) { // a Deny of "s3:*" over plain HTTP is right
                    st.actions().stream().filter(a -> a.contains("*")).forEach(a -> wildcards.add(st.policy() + ": " + a));
                }
            }
        }
        assertEquals(Set.of(), wildcards);
    }

    @Test
    void onlyActionsWithoutResourceLevelPermissionsAreGrantedOnStar() {
        Set<String> onStar = new TreeSet<>();
        for (Synthesized s : Synthesized.all()) {
            for (Policies.Statement st : Policies.identityStatements(s)) {
                if (st.resources().contains("*")) {
                    onStar.addAll(st.actions());
                }
            }
        }
        onStar.removeAll(STAR_ONLY);
        assertEquals(Set.of(), onStar);
    }

    @Test
    void sendCommandNamesOnlyTheAllowedDocuments() {
        Synthesized s = Synthesized.configured();
        Set<String> documents = allowing(s, "ssm:SendCommand").stream().flatMap(st -> st.resources().stream())
                .filter(r -> r.contains("document/")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(
                "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":ssm:\",{\"Ref\":\"AWS::Region\"},\"::document/AWS-RunShellScript\"]]}",
                "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":ssm:\",{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":document/MyOrg-RestartService\"]]}"),
                documents);
    }

    @Test
    void sendCommandReachesOnlyNodesWithTheConfiguredTag() {
        Synthesized s = Synthesized.configured();
        JsonNode nodes = allowing(s, "ssm:SendCommand").stream()
                .filter(st -> st.resources().stream().anyMatch(r -> r.contains("instance/*"))).findFirst().orElseThrow().json();
        assertEquals(JSON.valueToTree(Map.of("StringEquals", Map.of("ssm:resourceTag/fleetrun:managed", "true"))),
                nodes.path("Condition"));
    }

    @Test
    void sendCommandReachesAnyNodeWithoutATagSetting() {
        Synthesized s = Synthesized.defaults();
        JsonNode nodes = allowing(s, "ssm:SendCommand").stream()
                .filter(st -> st.resources().stream().anyMatch(r -> r.contains("instance/*"))).findFirst().orElseThrow().json();
        assertEquals(true, nodes.path("Condition").isMissingNode());
    }

    @Test
    void onlyStartRunMayListTheMembersOfThisAccountsResourceGroups() {
        Synthesized s = Synthesized.configured();
        List<Policies.Statement> grants = allowing(s, "resource-groups:ListGroupResources");
        assertEquals(Set.of(role(s, FleetrunFunction.START_RUN)), grants.stream().flatMap(st -> st.roles().stream())
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of("{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":resource-groups:\","
                + "{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":group/*\"]]}"),
                grants.stream().flatMap(st -> st.resources().stream()).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of(role(s, FleetrunFunction.START_RUN)), allowing(s, "tag:GetResources").stream()
                .flatMap(st -> st.roles().stream()).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void onlySendWaveMaySendCommands() {
        Synthesized s = Synthesized.configured();
        Set<String> roles = allowing(s, "ssm:SendCommand").stream().flatMap(st -> st.roles().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(role(s, FleetrunFunction.SEND_WAVE)), roles);
    }

    @Test
    void taskResponsesNameOnlyThisStacksStateMachines() {
        Synthesized s = Synthesized.configured();
        Set<String> resources = new TreeSet<>();
        for (String action : List.of("states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat")) {
            allowing(s, action).forEach(st -> resources.addAll(st.resources()));
        }
        assertEquals(Set.of(stateMachineRef(s)), resources);
    }

    @Test
    void rulesMayStartOnlyThisStacksStateMachines() {
        Synthesized s = Synthesized.configured();
        Set<String> resources = allowing(s, "states:StartExecution").stream().flatMap(st -> st.resources().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(stateMachineRef(s)), resources);
    }

    @Test
    void eventsGoOnlyToTheDefaultBusAsSourceFleetrun() {
        Synthesized s = Synthesized.configured();
        Set<String> grants = allowing(s, "events:PutEvents").stream()
                .map(st -> st.resources() + " " + st.json().path("Condition"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("[{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":events:\",{\"Ref\":\"AWS::Region\"},"
                + "\":\",{\"Ref\":\"AWS::AccountId\"},\":event-bus/default\"]]}] {\"StringEquals\":{\"events:source\":\"fleetrun\"}}"), grants);
    }

    private static List<Policies.Statement> concat(List<Policies.Statement> a, List<Policies.Statement> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
