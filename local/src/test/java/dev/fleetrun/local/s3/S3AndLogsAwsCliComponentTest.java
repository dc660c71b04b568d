package dev.fleetrun.local.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.logs.LogsService;
import dev.fleetrun.local.testing.AwsCli;
import dev.fleetrun.local.wire.AwsServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated S3 and CloudWatch Logs as the AWS CLI v1 (botocore 1.43) uses them: {@code aws s3 mb/cp/ls/rb},
 * {@code aws s3api ...} path-style and virtual-hosted ({@code BUCKET.localhost}), {@code aws logs ...}, and their
 * refusals with S3's and Logs' codes.
 */
class S3AndLogsAwsCliComponentTest {
    private final AwsServer server = AwsServer.start(0);
    private final S3Service s3 = new S3Service(Clock.systemUTC(), "us-east-1").serveOn(server);
    private final LogsService logs = new LogsService(Clock.systemUTC(), "us-east-1", "123456789012").serveOn(server);
    private AwsCli aws;
    private Path dir;

    @BeforeEach
    void findTheAwsCli() throws Exception {
        aws = AwsCli.find(server.endpoint(), server.credentials(), "the simulated S3 and CloudWatch Logs");
        dir = Files.createTempDirectory("s3-cli");
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void theS3CommandsAndS3apiWork() throws Exception {
        aws.run("s3", "mb", "s3://cli-output").ok();
        String text = "line\n".repeat(20_000);
        aws.runWithInput(Map.of(), text.getBytes(StandardCharsets.UTF_8), "s3", "cp", "-", "s3://cli-output/runs/cmd/i-1/stdout").ok();
        Files.writeString(dir.resolve("stderr"), "oops\n");
        aws.run("s3", "cp", dir.resolve("stderr").toString(), "s3://cli-output/runs/cmd/i-1/stderr").ok();

        String listing = aws.run("s3", "ls", "--recursive", "s3://cli-output/runs/").ok();
        assertTrue(listing.contains(" 100000 runs/cmd/i-1/stdout") && listing.contains(" 5 runs/cmd/i-1/stderr"), listing);
        assertEquals(text, aws.run("s3", "cp", "s3://cli-output/runs/cmd/i-1/stdout", "-").ok());
        assertTrue(aws.run("s3", "ls").ok().contains("cli-output"));

        JsonNode head = aws.run("s3api", "head-object", "--bucket", "cli-output", "--key", "runs/cmd/i-1/stdout").json();
        assertEquals(100_000, head.path("ContentLength").asInt());
        JsonNode listed = aws.run("s3api", "list-objects-v2", "--bucket", "cli-output", "--prefix", "runs/cmd/", "--delimiter", "/").json();
        assertEquals("runs/cmd/i-1/", listed.path("CommonPrefixes").get(0).path("Prefix").asText());
        aws.run("s3api", "put-object", "--bucket", "cli-output", "--key", "a key with spaces",
                "--body", dir.resolve("stderr").toString()).json();
        aws.run("s3api", "get-object", "--bucket", "cli-output", "--key", "a key with spaces", dir.resolve("got").toString()).json();
        assertEquals("oops\n", Files.readString(dir.resolve("got")));
        aws.run("s3api", "delete-object", "--bucket", "cli-output", "--key", "a key with spaces").json();
        assertEquals(List.of("runs/cmd/i-1/stderr", "runs/cmd/i-1/stdout"), s3.keys("cli-output", ""));

        AwsCli.Result missing = aws.run("s3api", "get-object", "--bucket", "cli-output", "--key", "nope", dir.resolve("x").toString());
        assertTrue(missing.stderr().contains("(NoSuchKey)"), missing.stderr());
        AwsCli.Result notEmpty = aws.run("s3", "rb", "s3://cli-output");
        assertTrue(notEmpty.stderr().contains("BucketNotEmpty"), notEmpty.stderr());
        aws.run("s3", "rb", "--force", "s3://cli-output").ok();
        assertTrue(!s3.bucketExists("cli-output"));
    }

    @Test
    void virtualHostedAddressingWorksFromTheCli() throws Exception {
        s3.createBucket("hosted");
        // BUCKET.localhost does not resolve on this machine's resolver; the endpoint itself as the HTTP proxy delivers
        // the very request a resolver that follows RFC 6761 would: Host: hosted.localhost:PORT.
        AwsCli virtual = AwsCli.find(URI.create("http://localhost:" + server.port()), server.credentials(), "virtual-hosted S3");
        Map<String, String> env = new HashMap<>(AwsCli.virtualHostedS3(dir));
        env.put("HTTP_PROXY", server.endpoint().toString());
        env.put("http_proxy", server.endpoint().toString());
        env.put("NO_PROXY", "");
        env.put("no_proxy", "");
        Files.writeString(dir.resolve("file"), "virtually\n");
        virtual.runWithInput(env, null, "s3", "cp", dir.resolve("file").toString(), "s3://hosted/dir/file").ok();
        assertEquals("virtually\n", virtual.runWithInput(env, null, "s3", "cp", "s3://hosted/dir/file", "-").ok());
        assertEquals("virtually\n", s3.object("hosted", "dir/file").orElseThrow().text());
    }

    @Test
    void unsignedAndWronglySignedS3RequestsAreRefusedWithS3sCodes() {
        s3.createBucket("guarded");
        AwsCli.Result unsigned = aws.runWithInput(Map.of(), null, "s3api", "list-objects-v2", "--bucket", "guarded", "--no-sign-request");
        assertNotEquals(0, unsigned.exitCode());
        assertTrue(unsigned.stderr().contains("(AccessDenied)"), unsigned.stderr());
        AwsCli.Result forged = aws.runWithInput(Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"), null,
                "s3api", "list-objects-v2", "--bucket", "guarded");
        assertTrue(forged.stderr().contains("(SignatureDoesNotMatch)"), forged.stderr());
        AwsCli.Result otherKey = aws.runWithInput(Map.of("AWS_ACCESS_KEY_ID", "AKIAANOTHERUSERSKEY0"), null,
                "s3api", "list-objects-v2", "--bucket", "guarded");
        assertTrue(otherKey.stderr().contains("(InvalidAccessKeyId)"), otherKey.stderr());
    }

    @Test
    void theLogsCommandsWork() {
        aws.run("logs", "create-log-group", "--log-group-name", "/fleetrun/output").ok();
        aws.run("logs", "create-log-stream", "--log-group-name", "/fleetrun/output", "--log-stream-name", "cmd/i-1/aws-runShellScript/stdout").ok();
        long t = System.currentTimeMillis();
        aws.run("logs", "put-log-events", "--log-group-name", "/fleetrun/output", "--log-stream-name",
                "cmd/i-1/aws-runShellScript/stdout", "--log-events",
                "[{\"timestamp\": " + t + ", \"message\": \"first line\"}, {\"timestamp\": " + (t + 1) + ", \"message\": \"ERROR second\"}]").json();
        assertEquals("/fleetrun/output", aws.run("logs", "describe-log-groups").json().path("logGroups").get(0).path("logGroupName").asText());
        assertEquals("cmd/i-1/aws-runShellScript/stdout", aws.run("logs", "describe-log-streams", "--log-group-name", "/fleetrun/output")
                .json().path("logStreams").get(0).path("logStreamName").asText());
        List<String> messages = new ArrayList<>();
        aws.run("logs", "get-log-events", "--log-group-name", "/fleetrun/output", "--log-stream-name",
                "cmd/i-1/aws-runShellScript/stdout", "--start-from-head").json().path("events").forEach(e -> messages.add(e.path("message").asText()));
        assertEquals(List.of("first line", "ERROR second"), messages);
        JsonNode filtered = aws.run("logs", "filter-log-events", "--log-group-name", "/fleetrun/output", "--filter-pattern", "ERROR").json();
        assertEquals(1, filtered.path("events").size());
        assertEquals("ERROR second", filtered.path("events").get(0).path("message").asText());

        AwsCli.Result missing = aws.run("logs", "describe-log-streams", "--log-group-name", "/nope");
        assertTrue(missing.stderr().contains("(ResourceNotFoundException)"), missing.stderr());
        aws.run("logs", "delete-log-group", "--log-group-name", "/fleetrun/output").ok();
        assertTrue(!logs.groupExists("/fleetrun/output"));
    }
}
