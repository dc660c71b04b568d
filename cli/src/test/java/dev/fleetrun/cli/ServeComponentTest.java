package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@code ./fleetrun serve --port 0 --nodes 3} as a user starts it: one ready line naming the real port,
 * fleetrun's workflow installed and the simulated fleet registered behind it, and a clean stop on SIGTERM.
 */
class ServeComponentTest {
    private static final Pattern READY = Pattern.compile("fleetrun: ready on (http://127\\.0\\.0\\.1:(\\d+))");
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath().normalize();

    @Test
    void serveStartsTheWholeRuntimeOnItsPortAndStopsOnSigterm() throws Exception {
        Path stderr = Files.createTempFile("fleetrun-serve", ".err");
        Path home = Files.createTempDirectory("fleetrun-home");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("fleetrun").toString(), "serve", "--port", "0", "--nodes", "3")
                .directory(ROOT.toFile()).redirectError(stderr.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("FLEETRUN_HOME", home.toString());
        Process serve = builder.start();
        serve.getOutputStream().close();
        try {
            LinkedBlockingQueue<String> stdout = lines(serve);
            // Bounded so that a broken launcher cannot hang the build; a first run may build the modules.
            String ready = stdout.poll(240, TimeUnit.SECONDS);
            assertNotNull(ready, "no ready line; stderr: " + Files.readString(stderr));
            Matcher m = READY.matcher(ready);
            assertTrue(m.matches(), "the ready line: " + ready);
            URI endpoint = URI.create(m.group(1));
            assertTrue(Files.readString(home.resolve("serve.json")).contains(endpoint.toString()),
                    "other fleetrun commands find it through FLEETRUN_HOME/serve.json");

            var kept = dev.fleetrun.local.wire.LocalCredentials.read(home.resolve("credentials"))
                    .orElseThrow(() -> new AssertionError("serve made no credentials under FLEETRUN_HOME"));
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(kept.accessKeyId(), kept.secretAccessKey()));
            try (SfnClient sfn = SfnClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
                 SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                         .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
                assertEquals(List.of("fleetrun-rolling-run"),
                        sfn.listStateMachines().stateMachines().stream().map(StateMachineListItem::name).toList());
                assertEquals(3, ssm.describeInstanceInformation(b -> b.maxResults(10)).instanceInformationList().size());
            }

            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "fleetrun serve did not stop on SIGTERM");
            assertEquals(143, serve.exitValue(), "the JVM's exit status after SIGTERM and its shutdown hooks");
            assertTrue(stdout.isEmpty(), "exactly one line on standard output: " + stdout);
        } finally {
            serve.destroyForcibly();
        }
    }

    private static LinkedBlockingQueue<String> lines(Process process) {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            } catch (IOException e) {
                // the process ended
            }
        });
        return lines;
    }
}
