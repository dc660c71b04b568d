package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.testing.TestServices;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * StartRun with {@code resource-groups:Name} targets, against DynamoDB Local, the fake SSM fleet and the runtime's
 * Resource Groups through the SDK's ResourceGroupsClient: the group's members are listed, intersected with the
 * managed nodes (members SSM does not know are skipped, never dropped) and planned as usual.
 */
class StartRunResourceGroupComponentTest {
    private final TestServices t = TestServices.start(Map.of());
    private final HandlerSteps steps = new HandlerSteps(t);

    @AfterEach
    void close() {
        t.close();
    }

    private static ObjectNode request(String targets) {
        return (ObjectNode) Json.parse("{\"targets\": " + targets + ", \"commands\": [\"uptime\"], \"waves\": [\"100%\"]}");
    }

    private Map<String, NodeRecord> nodes(String runId) {
        RunView view = t.store().loadRun(runId).orElseThrow();
        return view.nodes().stream().collect(Collectors.toMap(NodeRecord::instanceId, n -> n));
    }

    @Test
    void aResourceGroupRunTargetsTheGroupsManagedNodesAndSkipsMembersSsmDoesNotKnow() {
        List<String> web = t.addNodes(3, Map.of("Role", "web"));
        List<String> db = t.addNodes(1, Map.of("Role", "db"));
        String noAgent = "i-0000000000000abcd";
        t.aws().resourceGroups().createGroup("web-servers", "Role", "web")
                .addResource("arn:aws:ec2:us-east-1:123456789012:instance/" + noAgent, "AWS::EC2::Instance", Map.of("Role", "web"))
                .addResource("arn:aws:s3:::web-assets", "AWS::S3::Bucket", Map.of("Role", "web"));

        ObjectNode state = steps.started("group-1", request("[{\"key\": \"resource-groups:Name\", \"values\": [\"web-servers\"]}]"));

        assertEquals(1, state.path("waveCount").asInt());
        Map<String, NodeRecord> byId = nodes("group-1");
        assertEquals(4, byId.size(), "the three web nodes and the member without an agent; the bucket is no node: " + byId.keySet());
        web.forEach(id -> assertEquals(NodeStatus.PLANNED, byId.get(id).status(), id));
        assertEquals(NodeStatus.SKIPPED, byId.get(noAgent).status());
        assertEquals("member of resource group web-servers, but not a managed node: not registered with SSM, stopped"
                + " or terminated", byId.get(noAgent).reason());
        assertTrue(!byId.containsKey(db.get(0)));
        assertEquals(1, t.aws().requests("ListGroupResources").size());
        assertTrue(t.aws().requests("DescribeInstanceInformation").stream()
                .allMatch(r -> r.input().path("Filters").get(0).path("Key").asText().equals("InstanceIds")),
                "the members are described by id");
    }

    @Test
    void resourceTypeFiltersAndTagTargetsNarrowTheGroup() {
        List<String> ec2 = t.addNodes(2, Map.of("Role", "web", "Environment", "production"));
        t.ssm().addNode("mi-0123456789abcdef0", "Linux", "Online", Map.of("Role", "web", "Environment", "staging"));
        t.aws().resourceGroups().createGroup("web-servers", "Role", "web");

        steps.started("hybrid-1", request("[{\"key\": \"resource-groups:Name\", \"values\": [\"web-servers\"]},"
                + " {\"key\": \"resource-groups:ResourceTypeFilters\", \"values\": [\"AWS::SSM::ManagedInstance\"]}]"));
        assertEquals(List.of("mi-0123456789abcdef0"), List.copyOf(nodes("hybrid-1").keySet()));

        t.aws().resourceGroups().createGroup("everything", "Role", "web", "db");
        steps.started("production-1", request("[{\"key\": \"resource-groups:Name\", \"values\": [\"everything\"]},"
                + " {\"key\": \"tag:Environment\", \"values\": [\"production\"]}]"));
        assertEquals(ec2.stream().sorted().toList(), nodes("production-1").keySet().stream().sorted().toList());
    }

    @Test
    void aGroupThatDoesNotExistIsAnInvalidRequestAndAnEmptyOneHasNoTargets() {
        t.addNodes(2, Map.of("Role", "web"));

        ObjectNode missing = steps.start("missing-1", request("[{\"key\": \"resource-groups:Name\", \"values\": [\"mail\"]}]"));
        assertEquals("INVALID", missing.path("outcome").asText(), missing::toString);
        assertEquals("Fleetrun.InvalidInput", missing.path("error").asText());
        assertTrue(missing.path("cause").asText().contains("targets[0].values[0]: there is no resource group mail"),
                missing.path("cause").asText());

        t.aws().resourceGroups().createGroup("mail-servers", "Role", "mail");
        ObjectNode empty = steps.start("empty-1", request("[{\"key\": \"resource-groups:Name\", \"values\": [\"mail-servers\"]}]"));
        assertEquals("NO_TARGETS", empty.path("outcome").asText(), empty::toString);
        assertTrue(empty.path("cause").asText().startsWith("the resource group mail-servers has no member of type"
                + " AWS::EC2::Instance or AWS::SSM::ManagedInstance (0 member(s) in all)"), empty.path("cause").asText());
        assertTrue(t.store().getRun("missing-1").isEmpty() && t.store().getRun("empty-1").isEmpty());
        assertEquals(0, t.dynamoWrites());
    }
}
