package dev.fleetrun.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Counts the calls that reach the runtime's endpoint, as an {@code AwsServer.onRequest} listener: every
 * service's calls by operation, and the DynamoDB writes in detail (every handler, the engine's DynamoDB
 * integrations and the CLI go through the endpoint to DynamoDB Local).
 *
 * <p>What counts as a write: an answered PutItem, UpdateItem or DeleteItem is one item written; a
 * BatchWriteItem writes each of its put and delete requests; a TransactWriteItems writes each of its Put,
 * Update and Delete entries (a ConditionCheck writes nothing). A write refused by its condition, or a
 * cancelled transaction, writes nothing and is counted apart, under "refused" (DynamoDB still bills it).
 */
final class EndpointCalls implements Consumer<RecordedRequest> {
    private final Map<String, Integer> calls = new TreeMap<>();
    private final Map<String, Integer> refused = new TreeMap<>();
    private final Map<String, Integer> otherServices = new TreeMap<>();
    private long itemsWritten;
    private long writeCalls;
    private long refusedWrites;
    private long reads;
    /** Every call's time at the endpoint (arrival to answer) in microseconds, by service and operation. */
    private final Map<String, List<Long>> latencies = new TreeMap<>();

    @Override
    public synchronized void accept(RecordedRequest r) {
        latencies.computeIfAbsent(r.service() + " " + r.operation(), k -> new ArrayList<>()).add(r.elapsed().toNanos() / 1000);
        if (!"dynamodb".equals(r.service())) {
            otherServices.merge(r.service() + " " + r.operation(), 1, Integer::sum);
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
        Map<String, Latency> latency = new TreeMap<>();
        latencies.forEach((op, micros) -> latency.put(op, Latency.of(micros)));
        return new Figures(itemsWritten, writeCalls, refusedWrites, reads, Map.copyOf(calls), Map.copyOf(refused),
                new TreeMap<>(otherServices), latency);
    }

    /**
     * @param itemsWritten  items written by answered write calls
     * @param writeCalls    answered write calls
     * @param refusedWrites write calls refused (condition failed, transaction cancelled, throttled)
     * @param reads         answered read calls (GetItem, Query, ...)
     * @param calls         answered calls per operation
     * @param refused       refused write calls per operation and error code
     * @param otherServices calls to the other services, by service and operation (answered or not)
     * @param latency       the time calls took at the endpoint, by service and operation
     */
    record Figures(long itemsWritten, long writeCalls, long refusedWrites, long reads, Map<String, Integer> calls,
                   Map<String, Integer> refused, Map<String, Integer> otherServices, Map<String, Latency> latency) {
    }

    /** Call times in milliseconds: how many, their mean, 90th percentile and longest. */
    record Latency(int count, double meanMillis, double p90Millis, double maxMillis) {
        static Latency of(List<Long> micros) {
            List<Long> sorted = micros.stream().sorted().toList();
            double mean = sorted.stream().mapToLong(Long::longValue).average().orElse(0) / 1000;
            double p90 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1)) / 1000.0;
            return new Latency(sorted.size(), mean, p90, sorted.get(sorted.size() - 1) / 1000.0);
        }
    }
}
