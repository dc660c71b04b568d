package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Moves nodes forward together with their counters. A node update is conditional on the stored
 * rank being lower than the new one; a terminal status adds to the wave's and the run's counters
 * in the same transaction, so the counters always equal the nodes, whatever order and however
 * often the events come.
 *
 * <p>After a terminal status the caller needs the wave only if it may now be complete. Once this
 * store has seen a wave's size (which never changes), the wave's counter update carries a second
 * condition, that at least two of its nodes were still to go; when that holds, the wave is left
 * unread. When it does not, the transaction is cancelled before anything is written, done again
 * without it, and the wave read: one extra transaction for the last node of a wave, one read fewer for
 * every other node.
 */
final class NodeTransitions {

    /** Nodes per markNotRun transaction: 100 items at most, minus the wave and the run. */
    static final int NODES_PER_TRANSACTION = 98;
    static final String NOT_RUN_REASON = "its wave was never sent: the run ended first";
    /** Wave sizes remembered by this store: more than the waves in flight at once. */
    static final int WAVE_SIZES_KEPT = 1024;

    private final TableAccess access;
    private final RecentlyUsed<String, Integer> waveSizes = new RecentlyUsed<>(WAVE_SIZES_KEPT);

    NodeTransitions(TableAccess access) {
        this.access = access;
    }

    Transition record(NodeUpdate u) {
        Instant now = access.now();
        Update node = nodeUpdate(u, now);
        String what = "recording " + u.status() + " for node " + u.instanceId() + " of run " + u.runId();
        boolean applied;
        if (u.status().isTerminal()) {
            Integer size = knownSize(u);
            if (size != null && size >= 2) {
                Guarded outcome = access.retry().onConflict(what, () -> transactGuarded(u, node, now, size));
                if (outcome == Guarded.APPLIED_WAVE_INCOMPLETE) {
                    return Transition.appliedWaveIncomplete();
                }
                // STALE: the node was further along already; MAY_COMPLETE_WAVE: nothing was written, do it unguarded.
                applied = outcome == Guarded.MAY_COMPLETE_WAVE && access.retry().onConflict(what,
                        () -> transact(terminalItems(u, node, now, null), u.runId(), u.phase(), u.wave()));
            } else {
                applied = access.retry().onConflict(what, () -> transact(terminalItems(u, node, now, null),
                        u.runId(), u.phase(), u.wave()));
            }
        } else {
            applied = access.update(what, node);
        }
        Map<String, AttributeValue> wave = access.get(Items.key(runPk(u.runId()), waveSk(u.phase(), u.wave())));
        if (wave == null) {
            throw missingWave(u.runId(), u.phase(), u.wave());
        }
        WaveRecord after = ItemCodec.wave(wave);
        if (after.dispatched() >= after.size()) {
            // A strict budget's wave is dispatched in rounds: until its last round, the node that ends a round
            // is not its wave's last, so the size is no guide to when to read the wave back.
            remember(u, after.size());
        }
        return applied ? Transition.applied(after) : Transition.unchanged(after);
    }

    private enum Guarded { APPLIED_WAVE_INCOMPLETE, STALE, MAY_COMPLETE_WAVE }

    /**
     * The node, the wave's counters on condition that {@code done < size - 1} (this node is not the wave's
     * last), and the run's counters. STALE when the node's condition failed (nothing to do), MAY_COMPLETE_WAVE
     * when only the wave's did (do it again without).
     */
    private Guarded transactGuarded(NodeUpdate u, Update node, Instant now, int size) {
        try {
            access.client().transactWriteItems(TransactWriteItemsRequest.builder()
                    .transactItems(terminalItems(u, node, now, size - 1)).build());
            return Guarded.APPLIED_WAVE_INCOMPLETE;
        } catch (TransactionCanceledException e) {
            if (!Retry.hasReason(e, Retry.CONDITION_FAILED)) {
                throw e;
            }
            if (Retry.CONDITION_FAILED.equals(Retry.reason(e, 0))) {
                return Guarded.STALE;
            }
            if (Retry.CONDITION_FAILED.equals(Retry.reason(e, 1))) {
                return Guarded.MAY_COMPLETE_WAVE;
            }
            throw new IllegalStateException("run " + u.runId() + " has no record in table " + access.table()
                    + ": was it created by StartRun?", e);
        }
    }

    /** The node's update, its wave's counters (while {@code done} is below {@code doneBelow}, if given), the run's. */
    private List<TransactWriteItem> terminalItems(NodeUpdate u, Update node, Instant now, Integer doneBelow) {
        return List.of(
                item(node),
                item(waveCounter(u.runId(), u.phase(), u.wave(), u.status(), 1, doneBelow)),
                item(runCounter(u.runId(), u.phase(), u.status(), 1, u.countsAsError() ? 1 : 0, now)));
    }

    private Integer knownSize(NodeUpdate u) {
        return waveSizes.get(waveKey(u));
    }

    private void remember(NodeUpdate u, int size) {
        waveSizes.put(waveKey(u), size);
    }

    private static String waveKey(NodeUpdate u) {
        return u.runId() + "/" + u.phase().id() + "/" + u.wave();
    }

    int markNotRun(String runId, Phase phase, List<NodeRecord> planned) {
        Map<Integer, List<NodeRecord>> byWave = new LinkedHashMap<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (NodeRecord node : planned) {
            boolean candidate = node.phase() == phase && node.runId().equals(runId)
                    && node.status() == NodeStatus.PLANNED && node.wave() > 0;
            if (candidate && seen.putIfAbsent(node.wave() + "/" + node.instanceId(), true) == null) {
                byWave.computeIfAbsent(node.wave(), w -> new ArrayList<>()).add(node);
            }
        }
        int marked = 0;
        for (var entry : byWave.entrySet()) {
            List<NodeRecord> nodes = entry.getValue();
            for (int from = 0; from < nodes.size(); from += NODES_PER_TRANSACTION) {
                marked += markChunk(runId, phase, entry.getKey(),
                        nodes.subList(from, Math.min(nodes.size(), from + NODES_PER_TRANSACTION)));
            }
            markWaveNotRun(runId, phase, entry.getKey());
        }
        return marked;
    }

    /** All nodes of the chunk in one transaction; if one of them moved meanwhile, each on its own. */
    private int markChunk(String runId, Phase phase, int wave, List<NodeRecord> nodes) {
        Instant now = access.now();
        List<TransactWriteItem> items = new ArrayList<>();
        for (NodeRecord node : nodes) {
            items.add(item(nodeUpdate(notRun(node), now)));
        }
        items.add(item(waveCounter(runId, phase, wave, NodeStatus.NOT_RUN, nodes.size(), null)));
        items.add(item(runCounter(runId, phase, NodeStatus.NOT_RUN, nodes.size(), 0, now)));
        String what = "marking " + nodes.size() + " nodes of run " + runId + " NOT_RUN";
        if (access.retry().onConflict(what, () -> transact(items, runId, phase, wave))) {
            return nodes.size();
        }
        int marked = 0;
        for (NodeRecord node : nodes) {
            marked += record(notRun(node)).applied() ? 1 : 0;
        }
        return marked;
    }

    private void markWaveNotRun(String runId, Phase phase, int wave) {
        Expr e = new Expr();
        String update = "SET " + e.name(STATUS) + " = " + e.value(WaveStatus.NOT_RUN.name());
        String condition = e.name(STATUS) + " = " + e.value(WaveStatus.PLANNED.name());
        access.update("marking wave " + phase.id() + "/" + wave + " of run " + runId + " NOT_RUN",
                access.updateOf(Items.key(runPk(runId), waveSk(phase, wave)), update, condition, e));
    }

    private static NodeUpdate notRun(NodeRecord node) {
        return NodeUpdate.of(node.runId(), node.phase(), node.wave(), node.instanceId(), NodeStatus.NOT_RUN)
                .withReason(NOT_RUN_REASON);
    }

    /**
     * Writes the transaction whose first items are node updates, then the wave, then the run.
     *
     * @return false if a node's condition failed (stale or repeated): nothing was written
     */
    private boolean transact(List<TransactWriteItem> items, String runId, Phase phase, int wave) {
        try {
            access.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
            return true;
        } catch (TransactionCanceledException e) {
            if (!Retry.hasReason(e, Retry.CONDITION_FAILED)) {
                throw e;
            }
            int nodes = items.size() - 2;
            for (int i = 0; i < nodes; i++) {
                if (Retry.CONDITION_FAILED.equals(Retry.reason(e, i))) {
                    return false;
                }
            }
            if (Retry.CONDITION_FAILED.equals(Retry.reason(e, nodes))) {
                throw missingWave(runId, phase, wave);
            }
            throw new IllegalStateException("run " + runId + " has no record in table " + access.table()
                    + ": was it created by StartRun?", e);
        }
    }

    private Update nodeUpdate(NodeUpdate u, Instant now) {
        Expr e = new Expr();
        String rank = e.value(u.status().rank());
        List<String> sets = new ArrayList<>();
        sets.add(e.name(STATUS) + " = " + e.value(u.status().name()));
        sets.add(e.name(RANK) + " = " + rank);
        sets.add(e.name(UPDATED_AT) + " = " + e.value(now.toString()));
        setIfPresent(sets, e, COMMAND_ID, u.commandId());
        if (u.responseCode() != null) {
            sets.add(e.name(RESPONSE_CODE) + " = " + e.value(u.responseCode()));
        }
        setIfPresent(sets, e, STATUS_DETAILS, u.statusDetails());
        setIfPresent(sets, e, OUTPUT, u.outputExcerpt());
        setIfPresent(sets, e, ERROR_OUTPUT, u.errorExcerpt());
        setIfPresent(sets, e, OUTPUT_URL, u.outputUrl());
        setIfPresent(sets, e, REASON, u.reason());
        String condition = "attribute_exists(" + e.name(PK) + ") AND " + e.name(RANK) + " < " + rank;
        return access.updateOf(Items.key(runPk(u.runId()), nodeSk(u.phase(), u.wave(), u.instanceId())),
                "SET " + String.join(", ", sets), condition, e);
    }

    /** Adds to the wave's counters; with {@code doneBelow}, only while {@code done} is below it. */
    private Update waveCounter(String runId, Phase phase, int wave, NodeStatus status, int count, Integer doneBelow) {
        Expr e = new Expr();
        String n = e.value(count);
        String update = "ADD " + e.name(DONE) + " " + n + ", " + e.name(waveCountAttribute(status)) + " " + n;
        String condition = "attribute_exists(" + e.name(PK) + ")"
                + (doneBelow == null ? "" : " AND " + e.name(DONE) + " < " + e.value(doneBelow));
        return access.updateOf(Items.key(runPk(runId), waveSk(phase, wave)), update, condition, e);
    }

    private Update runCounter(String runId, Phase phase, NodeStatus status, int count, int errors, Instant now) {
        Expr e = new Expr();
        String update = "ADD " + e.name(runCountAttribute(phase, status)) + " " + e.value(count)
                + (errors > 0 ? ", " + e.name(ERRORS) + " " + e.value(errors) : "")
                + " SET " + e.name(UPDATED_AT) + " = " + e.value(now.toString());
        return access.updateOf(Items.key(runPk(runId), RUN_SK), update, "attribute_exists(" + e.name(PK) + ")", e);
    }

    private static void setIfPresent(List<String> sets, Expr e, String attribute, String value) {
        if (value != null) {
            sets.add(e.name(attribute) + " = " + e.value(value));
        }
    }

    private static TransactWriteItem item(Update update) {
        return TransactWriteItem.builder().update(update).build();
    }

    private IllegalStateException missingWave(String runId, Phase phase, int wave) {
        return new IllegalStateException("wave " + phase.id() + "/" + wave + " of run " + runId
                + " has no record in table " + access.table() + ": a node can only be recorded in a planned wave");
    }
}
