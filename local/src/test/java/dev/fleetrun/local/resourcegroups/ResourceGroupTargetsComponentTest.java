package dev.fleetrun.local.resourcegroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.FleetNode;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.local.ssm.ScriptIsolation;
import dev.fleetrun.local.ssm.SimulatedSsm;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.InvalidParametersException;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Target;

/**
 * SendCommand with {@code resource-groups:Name} (and {@code resource-groups:ResourceTypeFilters}) targets, through
 * the SDK's {@link SsmClient}, on a simulated SSM that resolves them through the simulated Resource Groups on the same
 * endpoint: the command reaches the group's member nodes, and only those, and really runs there.
 */
class ResourceGroupTargetsComponentTest {
    private static final String WEB = "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\",\"AWS::SSM::ManagedInstance\"],"
            + "\"TagFilters\":[{\"Key\":\"Role\",\"Values\":[\"web\"]}]}";

    private final AwsServer server = AwsServer.start(0);
    private SimulatedSsm ssm;
    private final ResourceGroupsService groups;
    private final SsmClient client;

    ResourceGroupTargetsComponentTest() throws Exception {
        groups = new ResourceGroupsService(Clock.systemUTC(), "us-east-1", "123456789012",
                NodeResources.of(() -> ssm, "us-east-1", "123456789012")).serveOn(server);
        Path work = Files.createTempDirectory("rg-targets");
        ssm = SimulatedSsm.builder()
                .fleet(Fleet.of(List.of(
                        FleetNode.linux("i-00000000000000001", Map.of("Role", "web", "Environment", "production"), NodeProfile.HEALTHY),
                        FleetNode.linux("i-00000000000000002", Map.of("Role", "web", "Environment", "staging"), NodeProfile.HEALTHY),
                        FleetNode.linux("i-00000000000000003", Map.of("Role", "db"), NodeProfile.HEALTHY),
                        FleetNode.linux("mi-0123456789abcdef0", Map.of("Role", "web"), NodeProfile.HEALTHY))))
                .workDir(work.resolve("nodes"))
                .isolation(ScriptIsolation.of(ScriptIsolation.Mode.NONE))
                .resourceGroups(NodeResources.groups(groups, "us-east-1", "123456789012"))
                .build().serveOn(server);
        client = SsmClient.builder().region(Region.US_EAST_1).credentialsProvider(LocalClients.credentials(server))
                .endpointOverride(server.endpoint()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
        groups.createGroup("web-servers", null, WEB);
    }

    @AfterEach
    void close() {
        ssm.close();
        server.close();
    }

    private String send(Target... targets) {
        return client.sendCommand(r -> r.documentName("AWS-RunShellScript")
                .parameters(Map.of("commands", List.of("echo \"$FLEETRUN_INSTANCE_ID\""))).targets(targets))
                .command().commandId();
    }

    private static Target target(String key, String... values) {
        return Target.builder().key(key).values(values).build();
    }

    private List<String> ranOn(String commandId) throws InterruptedException {
        ssm.awaitCommand(commandId, Duration.ofSeconds(60));
        return client.listCommandInvocationsPaginator(r -> r.commandId(commandId).details(true)).commandInvocations()
                .stream().map(CommandInvocation::instanceId).sorted().toList();
    }

    @Test
    void aResourceGroupTargetReachesTheGroupsMemberNodesAndRunsThere() throws Exception {
        String commandId = send(target("resource-groups:Name", "web-servers"));
        assertEquals(List.of("i-00000000000000001", "i-00000000000000002", "mi-0123456789abcdef0"), ranOn(commandId));
        assertEquals("i-00000000000000002\n", client.getCommandInvocation(r -> r.commandId(commandId)
                .instanceId("i-00000000000000002")).standardOutputContent());
        assertEquals(List.of(target("resource-groups:Name", "web-servers")),
                client.listCommands(r -> r.commandId(commandId)).commands().get(0).targets());
    }

    @Test
    void resourceTypeFiltersNarrowTheGroupToEc2InstancesOrHybridNodes() throws Exception {
        assertEquals(List.of("mi-0123456789abcdef0"), ranOn(send(target("resource-groups:Name", "web-servers"),
                target("resource-groups:ResourceTypeFilters", "AWS::SSM::ManagedInstance"))));
        assertEquals(List.of("i-00000000000000001", "i-00000000000000002"), ranOn(send(
                target("resource-groups:Name", "web-servers"),
                target("resource-groups:ResourceTypeFilters", "AWS::EC2::Instance"))));
    }

    @Test
    void aGroupAndATagTargetAreAndedAsEveryTargetIs() throws Exception {
        assertEquals(List.of("i-00000000000000001"), ranOn(send(target("resource-groups:Name", "web-servers"),
                target("tag:Environment", "production"))));
    }

    @Test
    void aGroupWithNoMemberNodeEndsTheCommandAsTagsThatMatchNothingDo() throws Exception {
        groups.createGroup("nobody", null, "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\"],"
                + "\"TagFilters\":[{\"Key\":\"Role\",\"Values\":[\"mail\"]}]}");
        String commandId = send(target("resource-groups:Name", "nobody"));
        assertEquals(List.of(), ranOn(commandId));
        var command = client.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertEquals("Failed", command.statusAsString());
        assertEquals("NoInstancesInTag", command.statusDetails());
    }

    @Test
    void refusesAMissingGroupTwoGroupsAndResourceTypeFiltersAlone() {
        InvalidParametersException missing = assertThrows(InvalidParametersException.class,
                () -> send(target("resource-groups:Name", "mail-servers")));
        assertTrue(missing.awsErrorDetails().errorMessage().contains("Resource group mail-servers does not exist"),
                missing.getMessage());
        InvalidParametersException two = assertThrows(InvalidParametersException.class,
                () -> send(target("resource-groups:Name", "web-servers", "other")));
        assertTrue(two.awsErrorDetails().errorMessage().contains("exactly one resource group name"), two.getMessage());
        SsmException alone = assertThrows(SsmException.class,
                () -> send(target("resource-groups:ResourceTypeFilters", "AWS::EC2::Instance")));
        assertEquals(AwsError.NOT_IMPLEMENTED, alone.awsErrorDetails().errorCode());
        assertThrows(InvalidParametersException.class, () -> send(target("resource-groups:Name", "web-servers"),
                target("resource-groups:ResourceTypeFilters", "EC2 instances")));
        assertTrue(client.listCommands(r -> { }).commands().isEmpty(), "nothing was sent");
    }
}
