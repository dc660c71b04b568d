package dev.fleetrun.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.definition.DefinitionParser;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.ExecutionStatus;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.LambdaFunctionError;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Lambda service of the runtime: sync and async invocation, Lambda's retries, faults and records. */
class LambdaRegistryTest {

    private final VirtualClock clock = new VirtualClock();
    private final LambdaRegistry lambdas = new LambdaRegistry(clock);
    private final Instant start = clock.now();

    private static JsonNode json(String text) {
        return EngineHarness.json(text);
    }

    @Test
    void functionsAreKnownByNameAndArn() {
        String arn = lambdas.register("StartRun", payload -> payload);
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:StartRun", arn);
        assertTrue(lambdas.exists("StartRun"));
        assertTrue(lambdas.exists(arn + ":live"));
        assertEquals(json("{\"a\":1}"), lambdas.invoke(arn, json("{\"a\":1}")).payload());
        assertEquals(1, lambdas.invocationCount("StartRun"));
        assertThrows(IllegalArgumentException.class, () -> lambdas.register("StartRun", payload -> payload));
        assertThrows(IllegalArgumentException.class, () -> lambdas.register("bad name", payload -> payload));
    }

    @Test
    void aThrownExceptionIsReportedWithItsClassNameAsTheJavaRuntimeDoes() {
        lambdas.register("Broken", payload -> {
            throw new IllegalStateException("no table");
        });
        InvokeResult result = lambdas.invoke("Broken", json("{}"));
        assertTrue(result.failed());
        assertEquals("java.lang.IllegalStateException", result.errorType());
        assertEquals("no table", result.errorMessage());
        assertEquals("Unhandled", result.functionError());
    }

    @Test
    void aMissingFunctionIsResourceNotFound() {
        var error = assertThrows(LambdaServiceException.class, () -> lambdas.invoke("Nope", json("{}")));
        assertEquals("ResourceNotFoundException", error.code());
        assertThrows(LambdaServiceException.class, () -> lambdas.invokeAsync("Nope", json("{}")));
    }

    @Test
    void engineTasksSeeStepFunctionsErrorNames() {
        AtomicInteger calls = new AtomicInteger();
        lambdas.register("Work", payload -> {
            calls.incrementAndGet();
            if (payload.path("conflict").asBoolean()) {
                throw new LambdaFunctionError("Fleetrun.Conflict", "node leased");
            }
            return Json.object().put("ok", true);
        });
        lambdas.failNext("Work", 1, LambdaFault.serviceException());
        var engine = StepFunctionsEngine.builder().clock(clock).invokers(new TaskInvokers().lambda(lambdas)).build();
        String definition = """
                {"StartAt": "Call", "States": {
                  "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Work",
                           "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2}],
                           "Catch": [{"ErrorEquals": ["Fleetrun.Conflict"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Pass", "End": true}}}""";
        Execution ok = EngineHarness.finish(engine.start(DefinitionParser.parse(definition), EngineHarness.MACHINE_ARN,
                "ok", json("{}"), EngineHarness.ROLE_ARN));
        assertEquals(ExecutionStatus.SUCCEEDED, ok.status());
        assertEquals(json("{\"ok\":true}"), ok.output());
        assertEquals(2, lambdas.invocationCount("Work"), "the service fault and the retry");
        assertEquals(1, calls.get(), "the fault never reached the handler");
        assertEquals(List.of("ServiceException", "ok"), lambdas.invocations("Work").stream()
                .map(i -> i.succeeded() ? "ok" : i.errorType()).toList());

        Execution caught = EngineHarness.finish(engine.start(DefinitionParser.parse(definition), EngineHarness.MACHINE_ARN,
                "caught", json("{\"conflict\": true}"), EngineHarness.ROLE_ARN));
        assertEquals(ExecutionStatus.SUCCEEDED, caught.status());
        assertEquals("Fleetrun.Conflict", caught.output().path("Error").asText());
    }

    @Test
    void aDyingFunctionIsLambdaUnknownToTheEngine() throws Exception {
        lambdas.register("Slow", payload -> payload);
        lambdas.failNext("Slow", 1, LambdaFault.unhandled());
        var error = assertThrows(dev.fleetrun.local.sfn.errors.AslError.class,
                () -> lambdas.find("Slow").orElseThrow().handle(json("{}")));
        assertEquals("Lambda.Unknown", error.name());
    }

    @Test
    void asyncFunctionErrorsAreRetriedTwiceAfterOneAndTwoMinutes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        lambdas.register("Listener", payload -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return payload;
        });
        lambdas.invokeAsync("Listener", json("{\"n\": 1}"));
        clock.awaitIdle();

        List<Invocation> attempts = lambdas.invocations("Listener");
        assertEquals(3, attempts.size());
        assertEquals(List.of(start, start.plus(Duration.ofMinutes(1)), start.plus(Duration.ofMinutes(3))),
                attempts.stream().map(Invocation::at).toList());
        assertEquals(List.of(1, 2, 3), attempts.stream().map(Invocation::attempt).toList());
        assertEquals(1, attempts.stream().map(Invocation::requestId).distinct().count(), "one event, one request id");
        assertTrue(attempts.get(2).succeeded());
        assertTrue(lambdas.deadLetters().isEmpty());
    }

    @Test
    void anAsyncEventThatKeepsFailingEndsInTheDeadLetters() throws Exception {
        lambdas.register("Listener", payload -> {
            throw new IllegalArgumentException("bad event");
        });
        lambdas.invokeAsync("Listener", json("{\"n\": 2}"));
        clock.awaitIdle();

        assertEquals(3, lambdas.invocationCount("Listener"));
        DeadLetter letter = lambdas.deadLetters().get(0);
        assertEquals("Listener", letter.function());
        assertEquals("java.lang.IllegalArgumentException", letter.errorType());
        assertEquals(3, letter.attempts());
        assertEquals("RetriesExhausted", letter.condition());
        assertEquals(json("{\"n\": 2}"), letter.payload());
    }

    @Test
    void asyncRetriesFollowTheFunctionsConfiguration() throws Exception {
        lambdas.register("Cleanup", payload -> {
            throw new IllegalStateException("always");
        });
        lambdas.configureAsync("Cleanup", new AsyncInvokeConfig(0, Duration.ofHours(2)));
        lambdas.invokeAsync("Cleanup", json("{}"));
        clock.awaitIdle();
        assertEquals(1, lambdas.invocationCount("Cleanup"));
        assertEquals(1, lambdas.deadLetters().size());
    }

    @Test
    void asyncThrottlesAreRetriedWithBackOffWithoutUsingTheRetryAttempts() throws Exception {
        lambdas.register("Listener", payload -> payload);
        lambdas.failNext("Listener", 3, LambdaFault.tooManyRequests());
        lambdas.invokeAsync("Listener", json("{}"));
        clock.awaitIdle();

        List<Invocation> attempts = lambdas.invocations("Listener");
        assertEquals(List.of(start, start.plusSeconds(1), start.plusSeconds(3), start.plusSeconds(7)),
                attempts.stream().map(Invocation::at).toList());
        assertTrue(attempts.get(3).succeeded());
        assertTrue(lambdas.deadLetters().isEmpty());
    }

    @Test
    void injectedFunctionErrorsReachSyncCallersAsTheFunctionsOwn() {
        lambdas.register("Evaluate", payload -> payload);
        lambdas.failNext("Evaluate", 2, LambdaFault.functionError("Fleetrun.Boom", "injected"));
        assertEquals("Fleetrun.Boom", lambdas.invoke("Evaluate", json("{}")).errorType());
        assertEquals(1, lambdas.pendingFaults("Evaluate").size());
        assertEquals("Fleetrun.Boom", lambdas.invoke("Evaluate", json("{}")).errorType());
        assertTrue(!lambdas.invoke("Evaluate", json("{}")).failed());
        assertEquals(3, lambdas.invocationCount("Evaluate"));
    }

    @Test
    void reservedConcurrencyRunsAtMostThatManyEventsAtOnceInReusedEnvironments() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        lambdas.register("Listener", payload -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            Thread.sleep(20); // long enough for the other events to pile up
            running.decrementAndGet();
            return payload;
        });
        lambdas.reserveConcurrency("Listener", 3);
        for (int i = 0; i < 12; i++) {
            lambdas.invokeAsync("Listener", json("{\"n\": " + i + "}"));
        }
        clock.awaitIdle();

        assertEquals(12, lambdas.invocations("Listener").stream().filter(Invocation::succeeded).count(),
                "every event ran, the ones beyond 3 after waiting their turn");
        assertEquals(3, most.get(), "at most 3 at once, and the queue kept all 3 busy");
        assertEquals(3, threads.size(), "12 events in 3 environments, each reused: " + threads);
        assertTrue(threads.stream().allMatch(t -> t.startsWith("lambda-Listener-env-")), threads.toString());
    }

    @Test
    void reservedConcurrencyNeedsAtLeastOneEnvironment() {
        lambdas.register("Listener", payload -> payload);
        var error = assertThrows(IllegalArgumentException.class, () -> lambdas.reserveConcurrency("Listener", 0));
        assertTrue(error.getMessage().contains("Listener"), error.getMessage());
    }

    @Test
    void closingDropsTheEventsStillWaitingForAnEnvironment() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        lambdas.register("Listener", payload -> {
            started.incrementAndGet();
            release.await();
            return payload;
        });
        lambdas.reserveConcurrency("Listener", 1);
        lambdas.invokeAsync("Listener", json("{\"n\": 1}"));
        lambdas.invokeAsync("Listener", json("{\"n\": 2}"));
        while (started.get() == 0) {
            Thread.sleep(5);
        }

        lambdas.close();
        release.countDown();
        clock.awaitIdle();

        assertEquals(1, started.get(), "the queued event never ran");
        assertEquals(0, lambdas.asyncInFlight(), "and is not counted as in flight any more");
    }
}
