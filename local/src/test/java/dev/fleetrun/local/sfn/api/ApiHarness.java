package dev.fleetrun.local.sfn.api;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.LocalRuntime;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.task.TaskRequest;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A {@link LocalRuntime} on a free port and a {@link VirtualClock} (starting at 2024-01-01T00:00:00.250Z, so
 * that dates carry a fraction of a second), with {@code sns:publish} played by a test invoker that records
 * each task it gets (and so each task token), and a real {@link SfnClient} pointed at it.
 */
final class ApiHarness implements AutoCloseable {

    static final String ROLE = "arn:aws:iam::123456789012:role/fleetrun-test";
    static final Instant START = Instant.parse("2024-01-01T00:00:00.250Z");

    final VirtualClock clock = new VirtualClock(START);
    final LinkedBlockingQueue<TaskRequest> published = new LinkedBlockingQueue<>();
    final LocalRuntime runtime;
    final SfnClient sfn;

    ApiHarness() {
        TaskInvokers invokers = new TaskInvokers().integration("sns:publish", request -> {
            published.add(request);
            return Json.parse("{\"MessageId\": \"m-" + published.size() + "\"}");
        });
        runtime = LocalRuntime.start(0, StepFunctionsEngine.builder().clock(clock).invokers(invokers).build());
        sfn = SfnClient.builder()
                .endpointOverride(runtime.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        runtime.credentials().accessKeyId(), runtime.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A definition from {@code src/test/resources/api/}. */
    static String definition(String file) {
        try (InputStream in = ApiHarness.class.getResourceAsStream("/api/" + file)) {
            assertNotNull(in, "no test definition /api/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a state machine from a definition file and returns its ARN. */
    String create(String name, String file) {
        return sfn.createStateMachine(r -> r.name(name).definition(definition(file)).roleArn(ROLE)).stateMachineArn();
    }

    /** The next task the played sns:publish got (10 real seconds at most). */
    TaskRequest nextTask() throws InterruptedException {
        TaskRequest task = published.poll(10, TimeUnit.SECONDS);
        assertNotNull(task, "no task reached the sns:publish invoker");
        return task;
    }

    /** Waits (10 real seconds at most) until the execution has ended. */
    void finish(String executionArn) throws InterruptedException {
        assertTrue(runtime.stepFunctions().describeExecution(executionArn).await(Duration.ofSeconds(10)),
                "the execution did not end: " + executionArn);
    }

    @Override
    public void close() {
        sfn.close();
        runtime.close();
    }
}
