package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Node leases: one item per node ({@code LEASE#<instanceId>}) naming the run that holds it and
 * until when, and indexed under that run ({@code byTime}, {@code LEASES#<runId>}) so that a run
 * that never got its record can still let go of them. Writes go in transactions of up to 100
 * conditional items, side by side ({@link SideBySide}); a lease is free when absent, expired, or
 * already this run's.
 */
final class Leases {

    static final int ITEMS_PER_TRANSACTION = 100;
    /** Rounds of "conflicted, but the holder let go before we could name it" before giving up. */
    private static final int CONFLICT_ROUNDS = 3;

    private final TableAccess access;

    Leases(TableAccess access) {
        this.access = access;
    }

    LeaseResult acquire(String runId, String executionArn, Collection<String> instanceIds, Instant until) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(instanceIds));
        List<String> taken = new ArrayList<>();
        List<List<String>> left = SideBySide.chunks(ids, ITEMS_PER_TRANSACTION);
        for (int round = 1; !left.isEmpty(); round++) {
            List<Boolean> done = SideBySide.map(left, chunk -> putAll(runId, executionArn, chunk, until));
            List<List<String>> refused = new ArrayList<>();
            for (int i = 0; i < left.size(); i++) {
                if (done.get(i)) {
                    taken.addAll(left.get(i));
                } else {
                    refused.add(left.get(i));
                }
            }
            if (refused.isEmpty()) {
                break;
            }
            List<LeaseConflict> conflicts = conflicts(runId, refused.stream().flatMap(List::stream).toList());
            if (!conflicts.isEmpty()) {
                release(runId, taken);
                return new LeaseResult(0, conflicts);
            }
            if (round >= CONFLICT_ROUNDS) {
                release(runId, taken);
                throw new IllegalStateException("leases for run " + runId + " kept conflicting with other runs that let"
                        + " go before they could be named (" + CONFLICT_ROUNDS + " rounds); start the run again");
            }
            left = refused;
        }
        return new LeaseResult(taken.size(), List.of());
    }

    LeaseResult renew(String runId, String executionArn, Collection<String> instanceIds, Instant until) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(instanceIds));
        // Per chunk: the ids another run holds now (a refused chunk is renewed node by node).
        List<List<String>> lostByChunk = SideBySide.map(SideBySide.chunks(ids, ITEMS_PER_TRANSACTION), chunk -> {
            if (putAll(runId, executionArn, chunk, until)) {
                return List.of();
            }
            return chunk.stream().filter(id -> !putOne(runId, executionArn, id, until)).toList();
        });
        List<String> lost = lostByChunk.stream().flatMap(List::stream).toList();
        return new LeaseResult(ids.size() - lost.size(), conflicts(runId, lost));
    }

    void release(String runId, Collection<String> instanceIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(instanceIds));
        SideBySide.map(SideBySide.chunks(ids, ITEMS_PER_TRANSACTION), chunk -> {
            if (!deleteAll(runId, chunk)) {
                chunk.forEach(id -> deleteOne(runId, id));
            }
            return chunk.size();
        });
    }

    /**
     * Releases every lease the run holds, found through the {@code byTime} index ({@code gsi2pk = LEASES#<runId>}).
     * The index is eventually consistent: a lease written a moment ago may not be found yet.
     *
     * @return how many leases the index named (those another run took meanwhile are left alone)
     */
    int releaseAll(String runId) {
        Expr e = new Expr();
        String keyCondition = e.name(GSI2_PK) + " = " + e.value(runLeasesGsiPk(runId));
        String projection = e.name(INSTANCE_ID);
        QueryRequest query = QueryRequest.builder()
                .tableName(access.table())
                .indexName(BY_TIME)
                .keyConditionExpression(keyCondition)
                .projectionExpression(projection)
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .build();
        List<String> ids = access.client().queryPaginator(query).items().stream()
                .map(item -> Items.text(item, INSTANCE_ID)).toList();
        release(runId, ids);
        return ids.size();
    }

    Optional<Lease> holder(String instanceId) {
        Map<String, AttributeValue> item = access.get(Items.key(leasePk(instanceId), LEASE_SK));
        if (item == null) {
            return Optional.empty();
        }
        Lease lease = ItemCodec.lease(item);
        return lease.until().getEpochSecond() > access.now().getEpochSecond() ? Optional.of(lease) : Optional.empty();
    }

    /** @return false if any lease of the chunk is held by another run (nothing written) */
    private boolean putAll(String runId, String executionArn, List<String> ids, Instant until) {
        long now = access.now().getEpochSecond();
        List<TransactWriteItem> items = new ArrayList<>();
        for (String id : ids) {
            Put put = leasePut(runId, executionArn, id, until, now);
            items.add(TransactWriteItem.builder().put(put).build());
        }
        return access.retry().onConflict("taking " + ids.size() + " leases for run " + runId, () -> {
            try {
                access.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
                return true;
            } catch (TransactionCanceledException e) {
                if (Retry.hasReason(e, Retry.CONDITION_FAILED)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private boolean putOne(String runId, String executionArn, String id, Instant until) {
        Put put = leasePut(runId, executionArn, id, until, access.now().getEpochSecond());
        PutItemRequest request = PutItemRequest.builder()
                .tableName(put.tableName()).item(put.item())
                .conditionExpression(put.conditionExpression())
                .expressionAttributeNames(put.expressionAttributeNames())
                .expressionAttributeValues(put.expressionAttributeValues())
                .build();
        return access.retry().onConflict("renewing the lease on " + id + " for run " + runId, () -> {
            try {
                access.client().putItem(request);
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    private Put leasePut(String runId, String executionArn, String id, Instant until, long now) {
        long expiresAt = Math.max(access.expiresAt(), until.getEpochSecond());
        Expr e = new Expr();
        String condition = "attribute_not_exists(" + e.name(PK) + ") OR " + e.name(UNTIL) + " <= " + e.value(now)
                + " OR " + e.name(RUN_ID) + " = " + e.value(runId);
        return Put.builder()
                .tableName(access.table())
                .item(ItemCodec.leaseItem(new Lease(id, runId, executionArn, until), expiresAt))
                .conditionExpression(condition)
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .build();
    }

    private boolean deleteAll(String runId, List<String> ids) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (String id : ids) {
            Expr e = new Expr();
            items.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(access.table())
                    .key(Items.key(leasePk(id), LEASE_SK))
                    .conditionExpression(e.name(RUN_ID) + " = " + e.value(runId))
                    .expressionAttributeNames(e.names())
                    .expressionAttributeValues(e.values())
                    .build()).build());
        }
        return access.retry().onConflict("releasing " + ids.size() + " leases of run " + runId, () -> {
            try {
                access.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
                return true;
            } catch (TransactionCanceledException e) {
                if (Retry.hasReason(e, Retry.CONDITION_FAILED)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private void deleteOne(String runId, String id) {
        Expr e = new Expr();
        DeleteItemRequest request = DeleteItemRequest.builder()
                .tableName(access.table())
                .key(Items.key(leasePk(id), LEASE_SK))
                .conditionExpression(e.name(RUN_ID) + " = " + e.value(runId))
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .build();
        access.retry().onConflict("releasing the lease on " + id + " of run " + runId, () -> {
            try {
                access.client().deleteItem(request);
            } catch (ConditionalCheckFailedException e2) {
                // Not this run's lease (or none): nothing to release.
            }
            return null;
        });
    }

    /** The leases among {@code ids} that another run holds now, read consistently. */
    private List<LeaseConflict> conflicts(String runId, List<String> ids) {
        long now = access.now().getEpochSecond();
        Map<String, LeaseConflict> byId = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().map(id -> Items.key(leasePk(id), LEASE_SK)).toList();
        for (Map<String, AttributeValue> item : access.batchGet(keys)) {
            Lease lease = ItemCodec.lease(item);
            if (!runId.equals(lease.runId()) && lease.until().getEpochSecond() > now) {
                byId.put(lease.instanceId(),
                        new LeaseConflict(lease.instanceId(), lease.runId(), lease.executionArn(), lease.until()));
            }
        }
        return ids.stream().filter(byId::containsKey).map(byId::get).toList();
    }

}
