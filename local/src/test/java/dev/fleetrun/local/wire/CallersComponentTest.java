package dev.fleetrun.local.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Who an endpoint answers ({@link Callers}), through the real SDK clients of each protocol family and through raw
 * HTTP where a client cannot be made to misbehave: only requests signed with the endpoint's credentials, addressed
 * to the endpoint's own host and from no foreign origin, are served; everything else gets AWS's error for it,
 * HTTP 403, and reaches no service.
 */
class CallersComponentTest {
    @TempDir
    Path workDir;

    private AwsServer server;
    private RawHttp http;
    private SnsService sns;
    private final List<RecordedRequest> served = Collections.synchronizedList(new ArrayList<>());

    private AwsServer start(Callers callers) {
        Clock clock = Clock.fixed(Instant.parse("2024-05-14T10:20:00Z"), ZoneOffset.UTC);
        sns = new SnsService(clock, workDir.resolve("sns.jsonl"));
        server = AwsServer.start(0, callers)
                .queryService(sns)
                .rpcV2Service(CloudWatchService.SERVICE_SHAPE, new CloudWatchService(clock, event -> { }))
                .onRequest(served::add);
        http = RawHttp.to(server);
        StepFunctionsApi.install(server, new StepFunctionsService(StepFunctionsEngine.builder().build()));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void clientsSigningWithTheEndpointsCredentialsAreServedInEveryProtocol() {
        start(Callers.signedWith(LocalCredentials.generate()));
        try (SnsClient snsClient = LocalClients.sns(server); SfnClient sfn = sfn(LocalClients.credentials(server));
             CloudWatchClient cloudWatch = LocalClients.cloudWatch(server)) {
            snsClient.createTopic(b -> b.name("alerts"));
            assertEquals(1, snsClient.listTopics().topics().size());
            assertEquals(0, sfn.listStateMachines().stateMachines().size());
            assertEquals(0, cloudWatch.describeAlarms(b -> { }).metricAlarms().size());
        }
    }

    @Test
    void aWrongSecretIsRefusedWithEachFamilysSignatureError() {
        start(Callers.signedWith(LocalCredentials.generate()));
        var wrongSecret = StaticCredentialsProvider.create(AwsBasicCredentials.create(server.credentials().accessKeyId(), "wrong"));
        assertRefused(403, "SignatureDoesNotMatch", () -> sns(wrongSecret).listTopics());
        assertRefused(403, "InvalidSignatureException", () -> sfn(wrongSecret).listStateMachines());
        assertRefused(403, "SignatureDoesNotMatch", () -> cloudWatch(wrongSecret).describeAlarms(b -> { }));
        assertFalse(!sns.topicArns().isEmpty(), "nothing reached SNS");
    }

    @Test
    void anotherAccessKeyIsAnUnrecognizedClient() {
        start(Callers.signedWith(LocalCredentials.generate()));
        var other = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAOTHERUSER0000000", "x"));
        assertRefused(403, "InvalidClientTokenId", () -> sns(other).createTopic(b -> b.name("t")));
        assertRefused(403, "UnrecognizedClientException", () -> sfn(other).listStateMachines());
        assertFalse(!sns.topicArns().isEmpty(), "no topic was made");
    }

    @Test
    void anUnsignedRequestIsMissingItsToken() {
        start(Callers.signedWith(LocalCredentials.generate()));
        assertRefused(403, "MissingAuthenticationToken", () -> sns(AnonymousCredentialsProvider.create()).listTopics());
        assertRefused(403, "MissingAuthenticationTokenException",
                () -> sfn(AnonymousCredentialsProvider.create()).listStateMachines());
    }

    @Test
    void aSignatureOlderThanFifteenMinutesHasExpired() throws IOException {
        start(Callers.signedWith(LocalCredentials.generate()));
        String body = "Action=CreateTopic&Name=late&Version=2010-03-31";
        Answer answer = http.send(http.signedForm(Instant.now().minus(Duration.ofMinutes(16)), "sns", body, Map.of()));
        assertEquals(403, answer.status());
        assertTrue(answer.text().contains("<Code>SignatureDoesNotMatch</Code>"), answer.text());
        assertTrue(answer.text().contains("Signature expired"), answer.text());
        Answer fresh = http.send(http.signedForm(Instant.now().minus(Duration.ofMinutes(5)), "sns", body, Map.of()));
        assertEquals(200, fresh.status(), "five minutes of skew is within AWS's fifteen: " + fresh.text());
    }

    @Test
    void aBodyChangedAfterSigningDoesNotMatch() throws IOException {
        start(Callers.signedWith(LocalCredentials.generate()));
        RawHttp.Request signedFor = http.signedForm(Instant.now(), "sns", "Action=ListTopics&Version=2010-03-31", Map.of());
        RawHttp.Request tampered = new RawHttp.Request(signedFor.head().replaceAll("Content-Length: \\d+", "Content-Length: 29"),
                "Action=CreateTopic&Name=x&V=1".getBytes(StandardCharsets.UTF_8));
        Answer answer = http.send(tampered);
        assertEquals(403, answer.status());
        assertTrue(answer.text().contains("SignatureDoesNotMatch"), answer.text());
        assertFalse(!sns.topicArns().isEmpty());
    }

    @Test
    void aSignatureOverTheHeadAloneCarriesNoOtherBodyAndNoAddedOperation() throws IOException {
        start(Callers.signedWith(LocalCredentials.generate()));
        // UNSIGNED-PAYLOAD for SNS: a captured ListTopics would carry any other body within its 15 minutes.
        RawHttp.Request listTopics = http.signedUnsignedPayload("sns", "/",
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                "Action=ListTopics&Version=2010-03-31".getBytes(StandardCharsets.UTF_8));
        byte[] other = "Action=CreateTopic&Name=swapped&Version=2010-03-31".getBytes(StandardCharsets.UTF_8);
        Answer swapped = http.send(new RawHttp.Request(listTopics.head().replaceAll("Content-Length: \\d+",
                "Content-Length: " + other.length), other));
        assertEquals(403, swapped.status(), swapped.text());
        assertTrue(swapped.text().contains("<Code>IncompleteSignature</Code>"), swapped.text());
        assertTrue(sns.topicArns().isEmpty(), "no topic was made");

        // S3 takes unsigned payloads; an X-Amz-Target added to such a request, unsigned, would pick any operation.
        RawHttp.Request s3 = http.signedUnsignedPayload("s3", "/", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        Answer rerouted = http.send(s3.withHeader("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
                .withHeader("Content-Type", "application/x-amz-json-1.0"));
        assertEquals(403, rerouted.status(), rerouted.text());
        assertTrue(rerouted.text().contains("IncompleteSignatureException") && rerouted.text().contains("x-amz-target"),
                rerouted.text());
    }

    @Test
    void aForeignHostIsRefusedBeforeItsSignatureIsLookedAt() throws IOException {
        start(Callers.signedWith(LocalCredentials.generate()));
        // What a page on attacker.example sends once its name resolves to 127.0.0.1 (DNS rebinding).
        Answer answer = http.send(RawHttp.unsigned("attacker.example:" + server.port(), "http://attacker.example:" + server.port(),
                "Action=CreateTopic&Name=pwned&Version=2010-03-31"));
        assertEquals(403, answer.status());
        assertTrue(answer.text().contains("<Code>AccessDenied</Code>") && answer.text().contains("attacker.example"), answer.text());
        assertFalse(!sns.topicArns().isEmpty(), "no topic was made");
    }

    @Test
    void aForeignOriginIsRefusedEvenWhenSigned() throws IOException {
        start(Callers.signedWith(LocalCredentials.generate()));
        Answer crossSite = http.send(http.signedForm(Instant.now(), "sns", "Action=CreateTopic&Name=x&Version=2010-03-31",
                Map.of("Origin", "http://attacker.example")));
        assertEquals(403, crossSite.status(), crossSite.text());
        assertTrue(crossSite.text().contains("other origins"), crossSite.text());
        Answer own = http.send(http.signedForm(Instant.now(), "sns", "Action=CreateTopic&Name=x&Version=2010-03-31",
                Map.of("Origin", "http://localhost:" + server.port())));
        assertEquals(200, own.status(), "the endpoint's own origin is served: " + own.text());
    }

    @Test
    void aPreflightGrantsNoOtherOrigin() throws IOException {
        start(Callers.signedWith(LocalCredentials.generate()));
        String preflight = "OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nOrigin: http://attacker.example\r\n"
                + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: x-amz-target,content-type\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n";
        Answer answer = http.send(preflight.getBytes(StandardCharsets.US_ASCII), false);
        assertEquals(403, answer.status());
        assertFalse(answer.head().toLowerCase().contains("access-control-allow"), answer.head());
    }

    @Test
    void anyCredentialsServesUnsignedCallersButKeepsTheHostAndOriginChecks() throws IOException {
        start(Callers.anyCredentials());
        try (SnsClient anonymous = sns(AnonymousCredentialsProvider.create())) {
            anonymous.createTopic(b -> b.name("served"));
        }
        assertEquals(200, http.send(RawHttp.unsigned("127.0.0.1:" + server.port(), null, "Action=ListTopics&Version=2010-03-31")).status());
        assertEquals(403, http.send(RawHttp.unsigned("attacker.example:" + server.port(), null, "Action=ListTopics&Version=2010-03-31")).status());
        assertEquals(403, http.send(RawHttp.unsigned("127.0.0.1:" + server.port(), "http://attacker.example",
                "Action=ListTopics&Version=2010-03-31")).status());
    }

    // ---- helpers

    private static void assertRefused(int status, String code, Runnable call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call::run);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
    }

    private SnsClient sns(AwsCredentialsProvider credentials) {
        return configure(SnsClient.builder(), credentials).build();
    }

    private SfnClient sfn(AwsCredentialsProvider credentials) {
        return configure(SfnClient.builder(), credentials).build();
    }

    private CloudWatchClient cloudWatch(AwsCredentialsProvider credentials) {
        return configure(CloudWatchClient.builder(), credentials).build();
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder,
                                                                                                   AwsCredentialsProvider credentials) {
        return builder.region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(server.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)));
    }
}
