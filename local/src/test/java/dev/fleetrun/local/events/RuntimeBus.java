package dev.fleetrun.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.lambda.LambdaRegistry;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.JavaClock;
import dev.fleetrun.local.sfn.time.VirtualClock;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A bus wired as the runtime wires it (Lambda registry, Step Functions service, EventBridge API on a loopback
 * endpoint) on a virtual clock, with a recording function {@code Recorder}, for the bus's tests.
 */
final class RuntimeBus implements AutoCloseable {
    final VirtualClock clock = new VirtualClock();
    final LambdaRegistry lambdas = new LambdaRegistry(clock);
    final StepFunctionsService stepFunctions;
    final EventBus bus;
    final AwsServer server;
    final EventBridgeClient client;
    final List<JsonNode> recorded = Collections.synchronizedList(new ArrayList<>());
    final String recorderArn;

    RuntimeBus() {
        stepFunctions = new StepFunctionsService(StepFunctionsEngine.builder().clock(clock)
                .invokers(new TaskInvokers().lambda(lambdas)).build());
        bus = new EventBus(clock, TargetHandlers.forRuntime(lambdas, stepFunctions));
        server = AwsServer.start(0).jsonService(EventBridgeService.TARGET_PREFIX, new EventBridgeService(bus,
                JavaClock.of(clock)));
        client = LocalClients.events(server.endpoint());
        recorderArn = lambdas.register("Recorder", payload -> {
            recorded.add(payload);
            return null;
        });
    }

    /** Waits until every delivery, retry and started execution is done or waiting on the clock. */
    void settle() {
        try {
            clock.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<JsonNode> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    @Override
    public void close() {
        bus.close();
        client.close();
        server.close();
    }
}
