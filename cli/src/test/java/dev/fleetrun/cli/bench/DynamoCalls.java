package dev.fleetrun.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Counts the DynamoDB calls that reach the runtime's endpoint (every handler, the engine's DynamoDB
 * integrations and the CLI go through it to DynamoDB Local), as an {@code AwsServer.onRequest} listener.
 *
 * <p>What counts as a write: an answered PutItem, UpdateItem or DeleteItem is one item written; a
 * BatchWriteItem writes each of its put and delete requests; a TransactWriteItems writes each of its Put,
 * Update and Delete entries (a ConditionCheck writes nothing). A write refused by its condition, or a
 * cancelled transaction, writes nothing and is counted apart, under "refused" (DynamoDB still bills it).
 */
final class DynamoCalls implements Consumer<RecordedRequest> {
    private final Map<String, Integer> calls = new TreeMap<>();
    private final Map<String, Integer> refused = new TreeMap<>();
    private long itemsWritten;
    private long writeCalls;
    private long refusedWrites;
    private long reads;

    @Override
    public synchronized void accept(RecordedRequest r) {
        if (!"dynamodb".equals(r.service())) {
            return;
        }
        String op = r.operation();
        boolean write = switch (op) {
            case "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems" -> true;
            default -> false;
        };
        if (!r.succeeded()) {
            if (write) {
                refused.merge(op + " (" + r.errorCode() + ")", 1, Integer::sum);
                refusedWrites++;
            }
            return;
        }
        calls.merge(op, 1, Integer::sum);
        if (!write) {
            reads++;
            return;
        }
        writeCalls++;
        itemsWritten += switch (op) {
            case "BatchWriteItem" -> batchItems(r.input());
            case "TransactWriteItems" -> transactItems(r.input());
            default -> 1;
        };
    }

    private static long batchItems(JsonNode input) {
        long n = 0;
        if (input != null) {
            for (JsonNode requests : input.path("RequestItems")) {
                n += requests.size();
            }
        }
        return n;
    }

    private static long transactItems(JsonNode input) {
        long n = 0;
        if (input != null) {
            for (JsonNode item : input.path("TransactItems")) {
                if (item.has("Put") || item.has("Update") || item.has("Delete")) {
                    n++;
                }
            }
        }
        return n;
    }

    synchronized Figures figures() {
        return new Figures(itemsWritten, writeCalls, refusedWrites, reads, Map.copyOf(calls), Map.copyOf(refused));
    }

    /**
     * @param itemsWritten  items written by answered write calls
     * @param writeCalls    answered write calls
     * @param refusedWrites write calls refused (condition failed, transaction cancelled, throttled)
     * @param reads         answered read calls (GetItem, Query, ...)
     * @param calls         answered calls per operation
     * @param refused       refused write calls per operation and error code
     */
    record Figures(long itemsWritten, long writeCalls, long refusedWrites, long reads, Map<String, Integer> calls,
                   Map<String, Integer> refused) {
    }
}
