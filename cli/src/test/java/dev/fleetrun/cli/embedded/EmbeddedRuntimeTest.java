package dev.fleetrun.cli.embedded;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.cli.UsageException;
import dev.fleetrun.local.ssm.Fleet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedRuntimeTest {

    @Test
    void aBadSettingIsRefusedBeforeAnythingListens() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        EmbeddedRuntime.Options options = new EmbeddedRuntime.Options(port, Fleet.generate(1, Map.of()),
                EmbeddedRuntime.Options.newWorkDir(), 1.0, Map.of("FLEETRUN_HEARTBEAT_SECONDS", "5"), List.of(),
                EmbeddedRuntime.DEFAULT_MAX_RUNNING_SCRIPTS, EmbeddedRuntime.Options.oneShotCallers(),
                dev.fleetrun.local.ssm.ScriptIsolation.Mode.AUTO);

        UsageException e = assertThrows(UsageException.class, () -> EmbeddedRuntime.start(options));

        assertTrue(e.getMessage().contains("FLEETRUN_HEARTBEAT_SECONDS"), e.getMessage());
        assertDoesNotThrow(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close(),
                "the runtime's port is free again");
    }

    @Test
    void theWorkflowItInstallsNamesEveryFunctionByItsLocalArn() {
        String definition = EmbeddedRuntime.workflow(java.util.Arrays.stream(dev.fleetrun.catalog.FleetrunFunction.values())
                .collect(java.util.stream.Collectors.toMap(f -> f.placeholder(), f -> "arn:local:" + f.logicalName())));

        assertTrue(definition.contains("arn:local:StartRun"), "StartRun is substituted");
        assertTrue(!definition.contains("${"), "no placeholder is left");
    }
}
