package dev.fleetrun.local.resourcegroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.FleetNode;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.local.ssm.ScriptIsolation;
import dev.fleetrun.local.ssm.SimulatedSsm;
import dev.fleetrun.local.testing.AwsCli;
import dev.fleetrun.local.wire.AwsServer;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated Resource Groups as the AWS CLI v1 (botocore 1.43, REST-JSON) drives it: {@code aws resource-groups
 * create-group}, {@code get-group}, {@code get-group-query}, {@code list-groups}, {@code list-group-resources} (with
 * {@code --filters}), {@code search-resources}, {@code delete-group}, their errors, and {@code aws ssm send-command
 * --targets Key=resource-groups:Name,...} reaching the group's nodes.
 */
class ResourceGroupsAwsCliComponentTest {
    static final String QUERY = "{\"Type\":\"TAG_FILTERS_1_0\",\"Query\":\"{\\\"ResourceTypeFilters\\\":"
            + "[\\\"AWS::EC2::Instance\\\",\\\"AWS::SSM::ManagedInstance\\\"],\\\"TagFilters\\\":"
            + "[{\\\"Key\\\":\\\"Role\\\",\\\"Values\\\":[\\\"web\\\"]}]}\"}";

    private final AwsServer server = AwsServer.start(0);
    private SimulatedSsm ssm;
    private ResourceGroupsService groups;
    private AwsCli aws;

    @BeforeEach
    void start() throws Exception {
        aws = AwsCli.find(server.endpoint(), server.credentials(), "the simulated Resource Groups");
        groups = new ResourceGroupsService(Clock.systemUTC(), "us-east-1", "123456789012",
                NodeResources.of(() -> ssm, "us-east-1", "123456789012")).serveOn(server);
        ssm = SimulatedSsm.builder()
                .fleet(Fleet.of(List.of(
                        FleetNode.linux("i-00000000000000001", Map.of("Role", "web"), NodeProfile.HEALTHY),
                        FleetNode.linux("i-00000000000000002", Map.of("Role", "db"), NodeProfile.HEALTHY),
                        FleetNode.linux("mi-0123456789abcdef0", Map.of("Role", "web"), NodeProfile.HEALTHY))))
                .workDir(Files.createTempDirectory("rg-cli").resolve("nodes"))
                .isolation(ScriptIsolation.of(ScriptIsolation.Mode.NONE))
                .resourceGroups(NodeResources.groups(groups, "us-east-1", "123456789012"))
                .build().serveOn(server);
    }

    @AfterEach
    void close() {
        ssm.close();
        server.close();
    }

    private static List<String> arns(JsonNode list, String path) {
        List<String> arns = new ArrayList<>();
        list.forEach(item -> arns.add(item.at(path).asText()));
        return arns;
    }

    @Test
    void everyImplementedOperationWorksFromTheCli() {
        JsonNode created = aws.run("resource-groups", "create-group", "--name", "web-servers",
                "--description", "web tier", "--resource-query", QUERY).json();
        assertEquals("arn:aws:resource-groups:us-east-1:123456789012:group/web-servers",
                created.at("/Group/GroupArn").asText());
        assertEquals("web tier", aws.run("resource-groups", "get-group", "--group", "web-servers").json()
                .at("/Group/Description").asText());
        assertEquals("TAG_FILTERS_1_0", aws.run("resource-groups", "get-group-query", "--group", "web-servers").json()
                .at("/GroupQuery/ResourceQuery/Type").asText());
        assertEquals(List.of("web-servers"), arns(aws.run("resource-groups", "list-groups").json()
                .path("GroupIdentifiers"), "/GroupName"));

        assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000001",
                "arn:aws:ssm:us-east-1:123456789012:managed-instance/mi-0123456789abcdef0"),
                arns(aws.run("resource-groups", "list-group-resources", "--group", "web-servers").json()
                        .path("Resources"), "/Identifier/ResourceArn"));
        assertEquals(List.of("AWS::SSM::ManagedInstance"), arns(aws.run("resource-groups", "list-group-resources",
                "--group", "web-servers", "--filters", "Name=resource-type,Values=AWS::SSM::ManagedInstance").json()
                .path("Resources"), "/Identifier/ResourceType"));
        assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000002"),
                arns(aws.run("resource-groups", "search-resources", "--resource-query", QUERY.replace("web", "db")).json()
                        .path("ResourceIdentifiers"), "/ResourceArn"));

        AwsCli.Result twice = aws.run("resource-groups", "create-group", "--name", "web-servers", "--resource-query", QUERY);
        assertNotEquals(0, twice.exitCode());
        assertTrue(twice.stderr().contains("(BadRequestException)") && twice.stderr().contains("group already exists"),
                twice.stderr());
        aws.run("resource-groups", "delete-group", "--group", "web-servers").json();
        AwsCli.Result gone = aws.run("resource-groups", "get-group", "--group", "web-servers");
        assertTrue(gone.stderr().contains("(NotFoundException)") && gone.stderr().contains("Cannot find group"),
                gone.stderr());
    }

    @Test
    void sendCommandWithAResourceGroupTargetRunsOnTheGroupsNodes() throws Exception {
        aws.run("resource-groups", "create-group", "--name", "web-servers", "--resource-query", QUERY).json();
        String commandId = aws.run("ssm", "send-command", "--document-name", "AWS-RunShellScript",
                "--targets", "Key=resource-groups:Name,Values=web-servers",
                "--parameters", "commands=hostname").json().at("/Command/CommandId").asText();
        ssm.awaitCommand(commandId, Duration.ofSeconds(60));
        assertEquals(List.of("i-00000000000000001", "mi-0123456789abcdef0"), arns(aws.run("ssm",
                "list-command-invocations", "--command-id", commandId).json().path("CommandInvocations"), "/InstanceId"));
        AwsCli.Result missing = aws.run("ssm", "send-command", "--document-name", "AWS-RunShellScript",
                "--targets", "Key=resource-groups:Name,Values=nope", "--parameters", "commands=hostname");
        assertTrue(missing.stderr().contains("(InvalidParameters)"), missing.stderr());
    }
}
