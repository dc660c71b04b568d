package dev.fleetrun.records;

import java.util.ArrayList;
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

    void putAll(List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += MAX_ITEMS_PER_REQUEST) {
            List<WriteRequest> chunk = new ArrayList<>();
            for (Map<String, AttributeValue> item : items.subList(from, Math.min(items.size(), from + MAX_ITEMS_PER_REQUEST))) {
                chunk.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            write(chunk);
        }
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
