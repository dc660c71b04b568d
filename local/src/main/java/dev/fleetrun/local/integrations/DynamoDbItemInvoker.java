package dev.fleetrun.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.task.TaskInvoker;
import dev.fleetrun.local.sfn.task.TaskRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionMetrics;

/**
 * {@code arn:aws:states:::dynamodb:getItem}, {@code putItem}, {@code updateItem} and {@code deleteItem}: the
 * request's members in DynamoDB's JSON form go to DynamoDB (the embedded DynamoDB Local) through an SDK
 * {@link DynamoDbClient}. The result is DynamoDB's answer ({@code Item}, {@code Attributes},
 * {@code ConsumedCapacity}, {@code ItemCollectionMetrics} when present) with {@code SdkHttpMetadata} and
 * {@code SdkResponseMetadata}. A DynamoDB error fails the task with the name Step Functions gives it: the AWS SDK
 * for Java's exception class, {@code DynamoDB.ConditionalCheckFailedException},
 * {@code DynamoDB.ResourceNotFoundException} ..., and {@code DynamoDB.AmazonDynamoDBException} for errors that have
 * no class of their own (a ValidationException, say). The legacy members ({@code Expected},
 * {@code AttributeUpdates}, {@code ConditionalOperator}, {@code AttributesToGet}) are not supported.
 */
public final class DynamoDbItemInvoker implements TaskInvoker {
    /** The error name of DynamoDB errors without an exception class of their own. */
    static final String GENERIC_ERROR = "DynamoDB.AmazonDynamoDBException";
    /** Error codes with an exception class of their own in the AWS SDK for Java (the rest are AmazonDynamoDBException). */
    private static final Map<String, String> ERROR_CLASSES = Map.ofEntries(
            Map.entry("ConditionalCheckFailedException", "ConditionalCheckFailedException"),
            Map.entry("ResourceNotFoundException", "ResourceNotFoundException"),
            Map.entry("ProvisionedThroughputExceededException", "ProvisionedThroughputExceededException"),
            Map.entry("ItemCollectionSizeLimitExceededException", "ItemCollectionSizeLimitExceededException"),
            Map.entry("TransactionConflictException", "TransactionConflictException"),
            Map.entry("RequestLimitExceeded", "RequestLimitExceededException"),
            Map.entry("InternalServerError", "InternalServerErrorException"),
            Map.entry("ResourceInUseException", "ResourceInUseException"),
            Map.entry("LimitExceededException", "LimitExceededException"));
    private static final Map<String, Set<String>> SUPPORTED = Map.of(
            "getItem", Set.of("TableName", "Key", "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames",
                    "ReturnConsumedCapacity"),
            "putItem", Set.of("TableName", "Item", "ConditionExpression", "ExpressionAttributeNames",
                    "ExpressionAttributeValues", "ReturnValues", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"),
            "updateItem", Set.of("TableName", "Key", "UpdateExpression", "ConditionExpression", "ExpressionAttributeNames",
                    "ExpressionAttributeValues", "ReturnValues", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"),
            "deleteItem", Set.of("TableName", "Key", "ConditionExpression", "ExpressionAttributeNames",
                    "ExpressionAttributeValues", "ReturnValues", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"));

    /** The actions this invoker serves, for {@code TaskInvokers.integration("dynamodb:" + action, ...)}. */
    public static final Set<String> ACTIONS = SUPPORTED.keySet();

    private final DynamoDbClient dynamo;

    public DynamoDbItemInvoker(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public JsonNode invoke(TaskRequest request) {
        String action = request.resource().action();
        Set<String> supported = SUPPORTED.get(action);
        if (supported == null) {
            throw new StatesRuntime("dynamodb:" + action + " is not an optimized DynamoDB integration here; use one of "
                    + SUPPORTED.keySet().stream().sorted().toList());
        }
        JsonNode input = request.input();
        Parameters.check("dynamodb:" + action, input, supported);
        try {
            return switch (action) {
                case "getItem" -> getItem(input);
                case "putItem" -> putItem(input);
                case "updateItem" -> updateItem(input);
                default -> deleteItem(input);
            };
        } catch (DynamoDbException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String name = code == null ? GENERIC_ERROR : "DynamoDB." + ERROR_CLASSES.getOrDefault(code, "AmazonDynamoDBException");
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw AslError.of(name, SdkMetadata.cause(message, "AmazonDynamoDBv2", e.statusCode(), code, e.requestId()));
        } catch (SdkClientException e) {
            throw AslError.of(GENERIC_ERROR, "DynamoDB could not be reached: " + e.getMessage());
        }
    }

    private JsonNode getItem(JsonNode in) {
        var response = dynamo.getItem(b -> b.tableName(text(in, "TableName")).key(AttributeValues.map(in.get("Key"), "Key"))
                .consistentRead(in.has("ConsistentRead") ? in.get("ConsistentRead").asBoolean() : null)
                .projectionExpression(text(in, "ProjectionExpression"))
                .expressionAttributeNames(names(in))
                .returnConsumedCapacity(text(in, "ReturnConsumedCapacity")));
        ObjectNode result = SdkMetadata.object();
        if (response.hasItem()) {
            result.set("Item", AttributeValues.json(response.item()));
        }
        capacity(result, response.consumedCapacity());
        return withMetadata(result, response);
    }

    private JsonNode putItem(JsonNode in) {
        var response = dynamo.putItem(b -> b.tableName(text(in, "TableName")).item(AttributeValues.map(in.get("Item"), "Item"))
                .conditionExpression(text(in, "ConditionExpression"))
                .expressionAttributeNames(names(in)).expressionAttributeValues(values(in))
                .returnValues(text(in, "ReturnValues")).returnConsumedCapacity(text(in, "ReturnConsumedCapacity"))
                .returnItemCollectionMetrics(text(in, "ReturnItemCollectionMetrics")));
        return written(response.hasAttributes() ? response.attributes() : null, response.consumedCapacity(),
                response.itemCollectionMetrics(), response);
    }

    private JsonNode updateItem(JsonNode in) {
        var response = dynamo.updateItem(b -> b.tableName(text(in, "TableName")).key(AttributeValues.map(in.get("Key"), "Key"))
                .updateExpression(text(in, "UpdateExpression")).conditionExpression(text(in, "ConditionExpression"))
                .expressionAttributeNames(names(in)).expressionAttributeValues(values(in))
                .returnValues(text(in, "ReturnValues")).returnConsumedCapacity(text(in, "ReturnConsumedCapacity"))
                .returnItemCollectionMetrics(text(in, "ReturnItemCollectionMetrics")));
        return written(response.hasAttributes() ? response.attributes() : null, response.consumedCapacity(),
                response.itemCollectionMetrics(), response);
    }

    private JsonNode deleteItem(JsonNode in) {
        var response = dynamo.deleteItem(b -> b.tableName(text(in, "TableName")).key(AttributeValues.map(in.get("Key"), "Key"))
                .conditionExpression(text(in, "ConditionExpression"))
                .expressionAttributeNames(names(in)).expressionAttributeValues(values(in))
                .returnValues(text(in, "ReturnValues")).returnConsumedCapacity(text(in, "ReturnConsumedCapacity"))
                .returnItemCollectionMetrics(text(in, "ReturnItemCollectionMetrics")));
        return written(response.hasAttributes() ? response.attributes() : null, response.consumedCapacity(),
                response.itemCollectionMetrics(), response);
    }

    /** A PutItem, UpdateItem or DeleteItem answer: the attributes asked for (null: none), capacity, metrics. */
    private static JsonNode written(Map<String, AttributeValue> attributes, ConsumedCapacity consumed,
                             ItemCollectionMetrics itemMetrics, DynamoDbResponse response) {
        ObjectNode result = SdkMetadata.object();
        if (attributes != null) {
            result.set("Attributes", AttributeValues.json(attributes));
        }
        capacity(result, consumed);
        metrics(result, itemMetrics);
        return withMetadata(result, response);
    }

    private static String text(JsonNode in, String field) {
        JsonNode node = in.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Map<String, String> names(JsonNode in) {
        if (!in.has("ExpressionAttributeNames")) {
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        in.get("ExpressionAttributeNames").properties().forEach(e -> names.put(e.getKey(), e.getValue().asText()));
        return names;
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values(JsonNode in) {
        return in.has("ExpressionAttributeValues")
                ? AttributeValues.map(in.get("ExpressionAttributeValues"), "ExpressionAttributeValues") : null;
    }

    private static void capacity(ObjectNode result, ConsumedCapacity capacity) {
        if (capacity != null) {
            ObjectNode shape = result.putObject("ConsumedCapacity").put("TableName", capacity.tableName());
            if (capacity.capacityUnits() != null) {
                shape.put("CapacityUnits", capacity.capacityUnits());
            }
        }
    }

    private static void metrics(ObjectNode result, ItemCollectionMetrics metrics) {
        if (metrics != null && metrics.hasItemCollectionKey()) {
            ObjectNode shape = result.putObject("ItemCollectionMetrics");
            shape.set("ItemCollectionKey", AttributeValues.json(metrics.itemCollectionKey()));
            metrics.sizeEstimateRangeGB().forEach(shape.putArray("SizeEstimateRangeGB")::add);
        }
    }

    private static JsonNode withMetadata(ObjectNode result, DynamoDbResponse response) {
        SdkMetadata.add(result, response.sdkHttpResponse().headers(), response.sdkHttpResponse().statusCode(),
                response.responseMetadata().requestId());
        return result;
    }
}
