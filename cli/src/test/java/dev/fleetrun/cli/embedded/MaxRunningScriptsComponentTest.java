package dev.fleetrun.cli.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fleetrun.local.ssm.CommandRollup;
import dev.fleetrun.local.ssm.Fleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The embedded runtime's cap on node scripts running at once reaches its simulated fleet: each node's
 * script marks itself running in a shared directory, counts the marks it sees, and unmarks itself.
 */
class MaxRunningScriptsComponentTest {

    /** Sends {@code sleep}-ing scripts to every node at full concurrency; returns the counts they saw. */
    private static List<String> runningCountsSeen(EmbeddedRuntime.Options options, int nodes) throws Exception {
        Path probe = options.workDir().resolve("probe");
        Files.createDirectories(probe.resolve("running"));
        String script = "d=" + probe + "; touch $d/running/$FLEETRUN_INSTANCE_ID; sleep 0.3;"
                + " ls $d/running | wc -l >> $d/seen; rm $d/running/$FLEETRUN_INSTANCE_ID";
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(options);
             SsmClient ssm = SsmClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(runtime.credentialsProvider())
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            String commandId = ssm.sendCommand(b -> b.documentName("AWS-RunShellScript").maxConcurrency(Integer.toString(nodes))
                    .targets(t -> t.key("tag:Environment").values("probe"))
                    .parameters(Map.of("commands", List.of(script)))).command().commandId();
            CommandRollup done = runtime.ssm().awaitCommand(commandId, Duration.ofMinutes(2));
            assertEquals("Success", done.status(), done::toString);
            // Read while the runtime is open: closing it removes the work directory it made.
            return Files.readAllLines(probe.resolve("seen")).stream().map(String::trim).toList();
        }
    }

    @Test
    void aCapOfOneRunsTheNodesScriptsOneAtATimeThoughTheCommandAllowsAll() throws Exception {
        // The nodes meet in a directory outside their sandboxes, which isolated scripts could not write.
        var options = EmbeddedRuntime.Options.of(Fleet.generate(3, Map.of("Environment", "probe"))).withMaxRunningScripts(1)
                .withIsolation(dev.fleetrun.local.ssm.ScriptIsolation.Mode.NONE);

        List<String> seen = runningCountsSeen(options, 3);

        assertEquals(List.of("1", "1", "1"), seen, "never two scripts at once");
    }
}
