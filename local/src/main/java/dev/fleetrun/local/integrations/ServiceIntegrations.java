package dev.fleetrun.local.integrations;

import dev.fleetrun.local.events.EventBridgeService;
import dev.fleetrun.local.lambda.LambdaRegistry;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sns.SnsService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Wires the engine's task integrations to the runtime's services, in one call:
 * <ul>
 *   <li>Lambda function ARNs and {@code arn:aws:states:::lambda:invoke} through the {@link LambdaRegistry};</li>
 *   <li>{@code arn:aws:states:::sns:publish} through the {@link SnsService};</li>
 *   <li>{@code arn:aws:states:::events:putEvents} through the {@link EventBridgeService};</li>
 *   <li>{@code arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem} through a {@link DynamoDbClient}
 *       pointed at the embedded DynamoDB Local.</li>
 * </ul>
 * Each also works with {@code .waitForTaskToken}.
 */
public final class ServiceIntegrations {
    private ServiceIntegrations() {
    }

    /** Registers every integration on {@code invokers} and returns it. */
    public static TaskInvokers register(TaskInvokers invokers, LambdaRegistry lambdas, SnsService sns,
                                        EventBridgeService events, DynamoDbClient dynamo) {
        invokers.lambda(lambdas);
        invokers.integration("sns:publish", new SnsPublishInvoker(sns));
        invokers.integration("events:putEvents", new EventsPutEventsInvoker(events));
        DynamoDbItemInvoker items = new DynamoDbItemInvoker(dynamo);
        DynamoDbItemInvoker.ACTIONS.forEach(action -> invokers.integration("dynamodb:" + action, items));
        return invokers;
    }
}
