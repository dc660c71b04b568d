package dev.fleetrun.records;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes many items with BatchWriteItem, 25 a request, and writes again what DynamoDB returns as
 * unprocessed (after a jittered pause), a bounded number of times. Plain puts: no conditions.
 */
final class BulkWriter {

    static final int MAX_ITEMS_PER_REQUEST = 25;

    private final TableAccess access;

    BulkWriter(TableAccess access) {
        this.access = access;
    }

    /** Writes every item; requests go side by side ({@link SideBySide}). */
    void putAll(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> requests = items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
        SideBySide.map(SideBySide.chunks(requests, MAX_ITEMS_PER_REQUEST), chunk -> {
            write(chunk);
            return chunk.size();
        });
    }

    private void write(List<WriteRequest> requests) {
        List<WriteRequest> pending = requests;
        for (int attempt = 1; ; attempt++) {
            var response = access.client().batchWriteItem(BatchWriteItemRequest.builder()
                    .requestItems(Map.of(access.table(), pending)).build());
            pending = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(access.table(), List.of())
                    : List.of();
            if (pending.isEmpty()) {
                return;
            }
            if (attempt >= access.retry().maxAttempts()) {
                throw new IllegalStateException("BatchWriteItem on table " + access.table() + " left " + pending.size()
                        + " items unprocessed after " + attempt + " attempts (throttled?); the write can be retried");
            }
            access.retry().pause(attempt);
        }
    }
}
