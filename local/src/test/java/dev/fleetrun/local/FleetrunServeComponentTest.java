package dev.fleetrun.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.fleetrun.local.testing.ProcessLines;
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

/**
 * The {@code ./fleetrun} launcher at the repository root, run as a user runs it: {@code engine --port 0} (the engine alone; the whole runtime, {@code serve}, is tested in cli/)
 * prints one ready line naming the port it got, answers the AWS SDK there, and stops cleanly on SIGTERM;
 * an unknown command is refused with the list of commands.
 */
class FleetrunServeComponentTest {

    private static final Pattern READY = Pattern.compile("fleetrun: ready on (http://127\\.0\\.0\\.1:(\\d+))");
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath().normalize();
    private static Path home;

    @org.junit.jupiter.api.BeforeAll
    static void home() throws IOException {
        home = Files.createTempDirectory("fleetrun-home");
    }

    @Test
    void serveOnPortZeroNamesItsPortAnswersTheSdkAndStopsOnSigterm() throws Exception {
        Path stderr = Files.createTempFile("fleetrun-serve", ".err");
        Process serve = fleetrun(stderr, "engine", "--port", "0");
        try {
            LinkedBlockingQueue<String> stdout = ProcessLines.of(serve);
            // Bounded only so that a broken launcher cannot hang the build; a first run may build the module.
            String ready = stdout.poll(180, TimeUnit.SECONDS);
            assertNotNull(ready, "no ready line; stderr: " + Files.readString(stderr));
            Matcher matcher = READY.matcher(ready);
            assertTrue(matcher.matches(), "the ready line: " + ready);
            assertNotEquals(0, Integer.parseInt(matcher.group(2)), "port 0 is replaced by the real one");

            var credentials = dev.fleetrun.local.wire.LocalCredentials.read(home.resolve("credentials")).orElseThrow(
                    () -> new AssertionError("engine made no credentials under FLEETRUN_HOME"));
            assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(home.resolve("credentials")), "readable by the user alone");
            try (SfnClient unsigned = client(URI.create(matcher.group(1)), "AKIAWRONG", "wrong")) {
                var refused = org.junit.jupiter.api.Assertions.assertThrows(
                        software.amazon.awssdk.services.sfn.model.SfnException.class, () -> unsigned.listStateMachines(r -> { }));
                assertEquals(403, refused.statusCode());
                assertEquals("UnrecognizedClientException", refused.awsErrorDetails().errorCode());
            }
            try (SfnClient sfn = client(URI.create(matcher.group(1)), credentials.accessKeyId(), credentials.secretAccessKey())) {
                sfn.createStateMachine(r -> r.name("served").roleArn("arn:aws:iam::123456789012:role/test")
                        .definition("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}"));
                List<StateMachineListItem> machines = sfn.listStateMachines(r -> r.maxResults(10)).stateMachines();
                assertEquals(List.of("served"), machines.stream().map(StateMachineListItem::name).toList());
            }

            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "fleetrun serve did not stop on SIGTERM");
            assertEquals(143, serve.exitValue(), "the JVM's exit status after SIGTERM and its shutdown hooks");
            List<String> rest = new ArrayList<>();
            stdout.drainTo(rest);
            assertEquals(List.of(), rest, "exactly one line on standard output");
            assertTrue(Files.readString(stderr).contains("fleetrun: stopped"), Files.readString(stderr));
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void anUnknownCommandIsRefusedWithTheListOfCommands() throws Exception {
        Path stderr = Files.createTempFile("fleetrun-unknown", ".err");
        Process unknown = fleetrun(stderr, "deploy-everything");
        assertTrue(unknown.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, unknown.exitValue());
        String message = Files.readString(stderr);
        assertTrue(message.contains("fleetrun: unknown command 'deploy-everything'"), message);
        assertTrue(message.lines().anyMatch(line -> line.trim().startsWith("serve ")), "lists serve: " + message);
    }

    @Test
    void aWrongServeOptionIsRefusedWithTheUsage() throws Exception {
        Path stderr = Files.createTempFile("fleetrun-usage", ".err");
        Process wrong = fleetrun(stderr, "engine", "--port", "http");
        assertTrue(wrong.waitFor(180, TimeUnit.SECONDS));
        assertEquals(2, wrong.exitValue());
        String message = Files.readString(stderr);
        assertTrue(message.contains("--port takes a port number from 0 to 65535, not 'http'"), message);
        assertTrue(message.contains("usage: fleetrun engine"), message);
    }

    private static Process fleetrun(Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("FLEETRUN_HOME", home.toString());
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static SfnClient client(URI endpoint, String accessKeyId, String secret) {
        return SfnClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
