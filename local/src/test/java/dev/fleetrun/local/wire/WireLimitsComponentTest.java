package dev.fleetrun.local.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.cloudwatch.CloudWatchService;
import dev.fleetrun.local.sfn.api.StepFunctionsApi;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sns.SnsService;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.testing.RawHttp;
import dev.fleetrun.local.testing.RawHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The endpoint's {@link WireLimits}, on a server set up with small ones: what goes beyond them is refused with the
 * code of its protocol family, read by the SDKs as AWS's, and a request beyond the concurrent turns waits for one,
 * then is answered 503. (The fuzz test of the whole runtime, cli's {@code WireFuzzComponentTest}, sends the same
 * bad bytes and more at the default limits.)
 */
class WireLimitsComponentTest {
    private static final WireLimits SMALL = WireLimits.DEFAULT.withBodies(4096, 8192)
            .withConcurrency(2, Duration.ofMillis(300));

    @TempDir
    Path workDir;

    private AwsServer server;
    private RawHttp http;
    private SnsService sns;

    private void start(WireLimits limits) {
        sns = new SnsService(Clock.systemUTC(), workDir.resolve("sns.jsonl"));
        server = AwsServer.start(0, Callers.signedWith(LocalCredentials.generate()), limits)
                .queryService(sns)
                .rpcV2Service(CloudWatchService.SERVICE_SHAPE, new CloudWatchService(Clock.systemUTC(), event -> { }));
        StepFunctionsApi.install(server, new StepFunctionsService(StepFunctionsEngine.builder().build()));
        http = RawHttp.to(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithEachFamilysCodeAsTheSdksReadIt() {
        start(SMALL);
        String big = "x".repeat(5000);
        try (SfnClient sfn = LocalClients.sfn(server); SnsClient snsClient = LocalClients.sns(server);
             CloudWatchClient cloudWatch = LocalClients.cloudWatch(server)) {
            assertRefused(413, "RequestEntityTooLargeException", () -> sfn.createStateMachine(b -> b.name("m")
                    .definition(big).roleArn("arn:aws:iam::123456789012:role/r")));
            assertRefused(413, "RequestEntityTooLarge", () -> snsClient.publish(b -> b.topicArn("arn:aws:sns:us-east-1:1:t")
                    .message(big)));
            assertRefused(413, "RequestEntityTooLarge", () -> cloudWatch.describeAlarms(b -> b.alarmNamePrefix(big)));
            assertEquals(0, sfn.listStateMachines().stateMachines().size(), "a body within the limit is served");
        }
        assertEquals(List.of(), sns.messages());
    }

    @Test
    void aChunkedBodyIsReadNoFurtherThanTheLimit() throws Exception {
        start(SMALL);
        String form = "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Message=" + "x".repeat(5000);
        Answer answer = http.send(http.signedForm(Instant.now(), "sns", form, Map.of()).chunked(1024));
        assertEquals(413, answer.status(), answer.toString());
        assertTrue(answer.text().contains("<Code>RequestEntityTooLarge</Code>"), answer.text());
        assertEquals("close", answer.header("Connection"), "the rest of the body is not read: the connection ends");
    }

    @Test
    void headerFieldsOverTheLimitAreRefusedWith431() throws Exception {
        start(SMALL);
        RawHttp.Request request = http.signedForm(Instant.now(), "sns", "Action=ListTopics&Version=2010-03-31", Map.of());
        RawHttp.Request many = request;
        for (int i = 0; i < SMALL.maxHeaders(); i++) {
            many = many.withHeader("X-Extra-" + i, "x");
        }
        Answer tooMany = http.send(many);
        assertEquals(431, tooMany.status(), tooMany.toString());
        assertTrue(tooMany.text().contains("<Code>RequestHeaderFieldsTooLarge</Code>"), tooMany.text());
        Answer tooLarge = http.send(request.withHeader("X-Extra", "x".repeat(SMALL.maxHeaderBytes())));
        assertEquals(431, tooLarge.status(), tooLarge.toString());
        assertEquals(200, http.send(request).status(), "the same request within the limits is served");
    }

    @Test
    void aBodyOfAnotherProtocolsTypeIsRefusedWith415() throws Exception {
        start(SMALL);
        RawHttp.Request request = http.signed("states", "/", Map.of("Content-Type", "text/plain",
                "X-Amz-Target", "AWSStepFunctions.ListStateMachines"), "{}".getBytes(StandardCharsets.UTF_8));
        Answer answer = http.send(request);
        assertEquals(415, answer.status(), answer.toString());
        assertTrue(answer.text().contains("\"__type\":\"UnsupportedMediaTypeException\""), answer.text());
    }

    @Test
    void aBodyCutShortIsRefusedAsMalformedHttp() throws Exception {
        start(SMALL);
        RawHttp.Request request = http.signedForm(Instant.now(), "sns", "Action=ListTopics&Version=2010-03-31", Map.of());
        Answer answer = http.send(request.withBody("Action=List".getBytes(StandardCharsets.US_ASCII)).bytes(), true);
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.text().contains("<Code>MalformedHttpRequest</Code>"), answer.text());
    }

    @Test
    void aRequestBeyondTheTurnsWaitsForOneAndIsAnswered503WhenNoneComesFree() throws Exception {
        start(SMALL);
        String form = "Action=ListTopics&Version=2010-03-31";
        RawHttp.Request whole = http.signedForm(Instant.now(), "sns", form, Map.of());
        List<RawHttp.Connection> held = new ArrayList<>();
        try {
            // Each of these sends its head and holds its turn while the endpoint waits for the body.
            for (int i = 0; i < SMALL.maxConcurrentRequests(); i++) {
                RawHttp.Connection connection = http.open();
                connection.write(whole.head().getBytes(StandardCharsets.ISO_8859_1));
                held.add(connection);
            }
            Answer busy = null;
            for (int attempt = 0; attempt < 20 && (busy == null || busy.status() != 503); attempt++) {
                long started = System.nanoTime();
                busy = http.send(whole);
                if (busy.status() == 503) {
                    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(SMALL.maxWait()) >= 0,
                            "it waited its turn first");
                }
            }
            assertEquals(503, busy.status(), busy.toString());
            assertTrue(busy.text().contains("<Code>ServiceUnavailable</Code>") && busy.text().contains("<Type>Receiver</Type>"),
                    busy.text());
            // The held requests end (their bodies will not come): each is answered, and its turn is free again.
            for (RawHttp.Connection connection : held) {
                connection.halfClose();
                assertEquals(400, connection.answer().status());
            }
            assertEquals(200, http.send(http.signedForm(Instant.now(), "sns", form, Map.of())).status());
        } finally {
            for (RawHttp.Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void limitsTheJdkServerWouldDropBeforeTheyCouldBeAnsweredAreRefusedWhenSetUp() {
        assertThrows(IllegalArgumentException.class, () -> WireLimits.DEFAULT.withConcurrency(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new WireLimits(1, 1, WireLimits.JDK_MAX_HEADER_BYTES + 1, 10, 1,
                Duration.ZERO));
    }

    private static void assertRefused(int status, String code, Runnable call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call::run);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
    }
}
