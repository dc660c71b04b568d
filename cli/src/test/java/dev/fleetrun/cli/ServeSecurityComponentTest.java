package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.aws.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleetrun serve} answers its own user and nobody else, tried the way an attacker and the user would:
 * raw HTTP of a DNS-rebinding web page and of a cross-site form post, the AWS CLI without credentials or with
 * wrong ones, and the user's own {@code eval "$(./fleetrun env)"} followed by the AWS CLI and the {@code fleetrun}
 * commands, which find the credentials themselves.
 */
class ServeSecurityComponentTest {
    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:fleetrun-rolling-run";
    private static ServeProcess serve;
    private static Path outside;

    @BeforeAll
    static void start() throws Exception {
        serve = ServeProcess.start("--port", "0", "--nodes", "6");
        outside = Files.createTempDirectory("fleetrun-outside-the-sandbox");
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void aRebindingPagesUnsignedStartExecutionStartsNothing() throws Exception {
        String input = "{\"name\": \"pwned\", \"targets\": [{\"key\": \"tag:Environment\", \"values\": [\"staging\"]}],"
                + " \"commands\": [\"echo pwned > " + outside + "/$FLEETRUN_INSTANCE_ID\"]}";
        String body = Json.write(Json.object().put("stateMachineArn", STATE_MACHINE).put("name", "pwned").put("input", input));
        String foreign = "attacker.example:" + serve.port();

        Raw rebound = raw("POST / HTTP/1.1\r\nHost: " + foreign + "\r\nOrigin: http://" + foreign + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
        assertEquals(403, rebound.status(), rebound.body());
        assertContains(rebound.body(), "AccessDeniedException");

        Raw unsigned = raw("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + serve.port() + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
        assertEquals(403, unsigned.status(), unsigned.body());
        assertContains(unsigned.body(), "MissingAuthenticationTokenException");

        var executions = serve.shell("eval \"$(./fleetrun env)\" && aws stepfunctions list-executions --state-machine-arn "
                + STATE_MACHINE + " --output json");
        assertEquals(0, executions.exitCode(), executions.stderr());
        assertEquals(0, Json.parse(executions.stdout()).path("executions").size(), "no execution was started: " + executions.stdout());
        Thread.sleep(1000);
        try (Stream<Path> written = Files.list(outside)) {
            assertEquals(List.of(), written.toList(), "no node wrote outside its sandbox");
        }
    }

    @Test
    void crossSiteFormPostsToSnsAreRefused() throws Exception {
        for (String form : List.of("Action=ListTopics&Version=2010-03-31",
                "Action=Publish&TopicArn=arn:aws:sns:us-east-1:123456789012:fleetrun-alerts&Message=hi&Version=2010-03-31")) {
            Raw post = raw("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + serve.port() + "\r\nOrigin: http://attacker.example\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                    + "\r\nConnection: close\r\n\r\n" + form);
            assertEquals(403, post.status(), post.body());
            assertContains(post.body(), "<Code>AccessDenied</Code>");
        }
    }

    @Test
    void theAwsCliWithoutTheServesCredentialsIsRefused() throws Exception {
        var unsigned = serve.shell("aws --no-sign-request --region us-east-1 --endpoint-url " + serve.endpoint
                + " ssm describe-instance-information");
        assertNotEquals(0, unsigned.exitCode());
        assertContains(unsigned.stderr(), "(MissingAuthenticationTokenException)");

        var guessed = serve.shell("AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region us-east-1 --endpoint-url "
                + serve.endpoint + " sns list-topics");
        assertNotEquals(0, guessed.exitCode());
        assertContains(guessed.stderr(), "(InvalidClientTokenId)");

        var wrongSecret = serve.shell("eval \"$(./fleetrun env)\" && AWS_SECRET_ACCESS_KEY=wrong aws dynamodb list-tables");
        assertNotEquals(0, wrongSecret.exitCode());
        assertContains(wrongSecret.stderr(), "(InvalidSignatureException)");
    }

    @Test
    void evalFleetrunEnvMakesTheAwsCliWorkOnEveryService() throws Exception {
        var env = serve.fleetrun("env");
        assertEquals(0, env.exitCode(), env.stderr());
        var credentials = serve.credentials();
        assertEquals(List.of("export AWS_ENDPOINT_URL='" + serve.endpoint + "'",
                "export AWS_ACCESS_KEY_ID='" + credentials.accessKeyId() + "'",
                "export AWS_SECRET_ACCESS_KEY='" + credentials.secretAccessKey() + "'",
                "export AWS_DEFAULT_REGION=us-east-1", "export AWS_REGION=us-east-1"), env.stdout().lines().toList());

        var calls = serve.shell("eval \"$(./fleetrun env)\" && aws stepfunctions list-state-machines --output text"
                + " && aws ssm describe-instance-information --output text --query 'InstanceInformationList[].InstanceId'"
                + " && aws sns list-topics --output text && aws dynamodb list-tables --output text"
                + " && aws events list-rules --output text --query 'Rules[].Name'");
        assertEquals(0, calls.exitCode(), calls.stderr());
        assertContains(calls.stdout(), "fleetrun-rolling-run");
        assertContains(calls.stdout(), "fleetrun-alerts");
        assertContains(calls.stdout(), "TABLENAMES\tfleetrun");
        assertEquals(6, calls.stdout().split("\\bi-[0-9a-f]{17}\\b", -1).length - 1, "six nodes: " + calls.stdout());
    }

    @Test
    void fleetrunCommandsFindTheCredentialsThemselves() throws Exception {
        var status = serve.fleetrun("status", "no-such-run");
        assertEquals(ExitCode.NOT_FOUND, status.exitCode(), status.stdout() + status.stderr());
        assertContains(status.stdout(), "no run no-such-run on the fleetrun serve on " + serve.endpoint);

        var viaEndpoint = serve.fleetrun("history", "--instance", "i-00000000000000000", "--endpoint", serve.endpoint.toString());
        assertEquals(ExitCode.NOT_FOUND, viaEndpoint.exitCode(), viaEndpoint.stdout() + viaEndpoint.stderr());
        assertContains(viaEndpoint.stdout(), "no run has touched i-00000000000000000");
        assertContains(serve.stderrText(), "fleetrun: callers must sign with the credentials in " + serve.home.resolve("credentials"));
    }

    @Test
    void anyCredentialsWarnsAndStillRefusesForeignHosts() throws Exception {
        try (ServeProcess open = ServeProcess.start("--port", "0", "--nodes", "1", "--any-credentials")) {
            assertContains(open.stderrText(), "fleetrun: WARNING: --any-credentials");
            var unsigned = open.shell("aws --no-sign-request --region us-east-1 --endpoint-url " + open.endpoint
                    + " stepfunctions list-state-machines --output text");
            assertEquals(0, unsigned.exitCode(), unsigned.stderr());
            assertContains(unsigned.stdout(), "fleetrun-rolling-run");
            Raw rebound = raw(open.port(), "POST / HTTP/1.1\r\nHost: attacker.example:" + open.port() + "\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
            assertEquals(403, rebound.status(), rebound.body());
            assertFalse(rebound.body().contains("fleetrun-rolling-run"));
        }
    }

    private record Raw(int status, String body) {
    }

    private static Raw raw(String request) throws IOException {
        return raw(serve.port(), request);
    }

    /** Sends the bytes as they are, as curl or a browser would, and reads the whole answer. */
    private static Raw raw(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            assertTrue(split > 0, "an HTTP answer: " + answer);
            return new Raw(Integer.parseInt(answer.substring(0, split).split(" ")[1]), answer.substring(split + 4));
        }
    }
}
