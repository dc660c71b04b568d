package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.local.ssm.Fleet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * {@code fleetrun run --targets resource-groups:Name=...} on the embedded runtime over
 * {@code local/examples/fleet-groups.json}, whose groups exist from the start: the real workflow resolves the group
 * through the runtime's Resource Groups, sends by instance id in waves, and each node really runs the command.
 */
class ResourceGroupWorkflowTest {
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(Fleet.load(ServeProcess.ROOT.resolve("local/examples/fleet-groups.json")), Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aRunOnAFleetFilesGroupReachesItsMembersInWaves() {
        WorkflowHarness.Cli cli = h.cli("run", "--name", "web", "--targets", "resource-groups:Name=web-servers",
                "--commands", "echo \"hello from $FLEETRUN_INSTANCE_ID\"", "--waves", "1,100%").expect(ExitCode.OK);
        String runId = cli.runId();
        cli.shows("wave 2/2");
        cli.shows("run " + runId + ": SUCCEEDED");
        assertEquals(Map.of("i-00000000000000001", NodeStatus.SUCCEEDED, "i-00000000000000002", NodeStatus.SUCCEEDED,
                "i-00000000000000003", NodeStatus.SUCCEEDED, "mi-0123456789abcdef0", NodeStatus.SUCCEEDED),
                h.statuses(runId, Phase.MAIN));
        List<Command> sent = h.commandsOf(runId);
        assertEquals(2, sent.size(), "one command per wave");
        sent.forEach(c -> assertEquals(List.of(), c.targets(), "fleetrun sends the resolved nodes by id"));
    }

    @Test
    void resourceTypeFiltersAndTagsNarrowTheGroup() {
        String hybrid = h.cli("run", "--name", "hybrid", "--targets", "resource-groups:Name=web-servers",
                "--targets", "resource-groups:ResourceTypeFilters=AWS::SSM::ManagedInstance",
                "--commands", "true").expect(ExitCode.OK).runId();
        assertEquals(Map.of("mi-0123456789abcdef0", NodeStatus.SUCCEEDED), h.statuses(hybrid, Phase.MAIN));

        String db = h.cli("run", "--name", "db", "--targets", "resource-groups:Name=production",
                "--targets", "tag:Role=db", "--commands", "true").expect(ExitCode.OK).runId();
        assertEquals(Map.of("i-00000000000000004", NodeStatus.SUCCEEDED), h.statuses(db, Phase.MAIN));
    }

    @Test
    void aGroupThatDoesNotExistFailsTheRunAsAnInvalidRequest() {
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "resource-groups:Name=mail-servers", "--commands", "true")
                .expect(ExitCode.USAGE);
        cli.shows("Fleetrun.InvalidInput");
        cli.shows("there is no resource group mail-servers");
    }
}
