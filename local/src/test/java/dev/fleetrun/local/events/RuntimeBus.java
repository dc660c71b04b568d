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
public final class RuntimeBus implements AutoCloseable {
    public final VirtualClock clock = new VirtualClock();
    public final LambdaRegistry lambdas = new LambdaRegistry(clock);
    public final StepFunctionsService stepFunctions;
    public final EventBus bus;
    public final EventBridgeService events;
    public final AwsServer server;
    public final EventBridgeClient client;
    public final List<JsonNode> recorded = Collections.synchronizedList(new ArrayList<>());
    public final String recorderArn;

    public RuntimeBus() {
        stepFunctions = new StepFunctionsService(StepFunctionsEngine.builder().clock(clock)
                .invokers(new TaskInvokers().lambda(lambdas)).build());
        bus = new EventBus(clock, TargetHandlers.forRuntime(lambdas, stepFunctions));
        events = new EventBridgeService(bus, JavaClock.of(clock));
        server = AwsServer.start(0).jsonService(EventBridgeService.TARGET_PREFIX, events);
        client = LocalClients.events(server);
        recorderArn = lambdas.register("Recorder", payload -> {
            recorded.add(payload);
            return null;
        });
    }

    /** Waits until every delivery, retry and started execution is done or waiting on the clock. */
    public void settle() {
        try {
            clock.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<JsonNode> recorded() {
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
