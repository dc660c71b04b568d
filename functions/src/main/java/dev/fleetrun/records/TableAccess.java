package dev.fleetrun.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** What every part of the DynamoDB adapter shares: the client, the table, the clock, the retention. */
record TableAccess(DynamoDbClient client, String table, Clock clock, Duration retention, Retry retry) {

    /** BatchGetItem's limit on keys per call. */
    static final int KEYS_PER_BATCH_GET = 100;

    TableAccess {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retry, "retry");
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, not " + retention
                    + " (FLEETRUN_RETENTION_DAYS sets it; the default is 90 days)");
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** The TTL value for an item written now: now + retention, epoch seconds. */
    long expiresAt() {
        return now().plus(retention).getEpochSecond();
    }

    /** A strongly consistent read of one item; null if there is none. */
    Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        var response = client.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build());
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    /**
     * Strongly consistent reads of many items by key, {@value #KEYS_PER_BATCH_GET} keys a BatchGetItem call,
     * unprocessed keys asked again after a pause; items that do not exist are left out, and the order is
     * not the keys' order.
     */
    List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_BATCH_GET) {
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_BATCH_GET))).consistentRead(true).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                var response = client.batchGetItem(BatchGetItemRequest.builder().requestItems(pending).build());
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!pending.isEmpty()) {
                    if (attempt >= retry.maxAttempts()) {
                        throw new IllegalStateException("BatchGetItem on table " + table + " left keys unprocessed after "
                                + attempt + " attempts (throttled?); retry later");
                    }
                    retry.pause(attempt);
                }
            }
        }
        return items;
    }

    /**
     * Runs one conditional update as an UpdateItem (retried when it meets a transaction on the item).
     *
     * @return false if its condition failed (nothing written)
     */
    boolean update(String what, Update update) {
        return updateReturning(what, update, null) != null;
    }

    /**
     * Like {@link #update}, asking for {@code returnValues} ({@code ALL_OLD}, ...).
     *
     * @return the response, or null if the condition failed
     */
    UpdateItemResponse updateReturning(String what, Update update, String returnValues) {
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(update.tableName())
                .key(update.key())
                .updateExpression(update.updateExpression())
                .conditionExpression(update.conditionExpression())
                .expressionAttributeNames(update.expressionAttributeNames())
                .expressionAttributeValues(update.expressionAttributeValues())
                .returnValues(returnValues)
                .build();
        return retry.onConflict(what, () -> {
            try {
                return client.updateItem(request);
            } catch (ConditionalCheckFailedException e) {
                return null;
            }
        });
    }

    /** An Update on this table; {@code expr} holds the placeholders of both expressions. */
    Update updateOf(Map<String, AttributeValue> key, String updateExpression, String condition, Expr expr) {
        return Update.builder()
                .tableName(table)
                .key(key)
                .updateExpression(updateExpression)
                .conditionExpression(condition)
                .expressionAttributeNames(expr.names())
                .expressionAttributeValues(expr.values())
                .build();
    }
}
