package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
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

    @Test
    void serveStartsTheWholeRuntimeOnItsPortAndStopsOnSigterm() throws Exception {
        try (ServeProcess serve = ServeProcess.start("--port", "0", "--nodes", "3")) {
            assertTrue(Files.readString(serve.home.resolve("serve.json")).contains(serve.endpoint.toString()),
                    "other fleetrun commands find it through FLEETRUN_HOME/serve.json");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(serve.home.resolve("credentials")), "credentials readable by the user alone");

            var kept = serve.credentials();
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(kept.accessKeyId(), kept.secretAccessKey()));
            try (SfnClient sfn = SfnClient.builder().endpointOverride(serve.endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
                 SsmClient ssm = SsmClient.builder().endpointOverride(serve.endpoint).region(Region.US_EAST_1)
                         .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
                assertEquals(List.of("fleetrun-rolling-run"),
                        sfn.listStateMachines().stateMachines().stream().map(StateMachineListItem::name).toList());
                assertEquals(3, ssm.describeInstanceInformation(b -> b.maxResults(10)).instanceInformationList().size());
            }

            assertEquals(143, serve.stop(), "the JVM's exit status after SIGTERM and its shutdown hooks");
            assertTrue(serve.stdout.isEmpty(), "exactly one line on standard output: " + serve.stdout);
        }
    }
}
