package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Batch claims and commands: what keeps a retried SendWave from sending a batch twice, and what
 * lets the status listener go from a command id to its run, wave and token.
 */
final class Batches {

    private final TableAccess access;

    Batches(TableAccess access) {
        this.access = access;
    }

    BatchClaim claim(String runId, Phase phase, int wave, int batch, String attemptId) {
        Objects.requireNonNull(attemptId, "attemptId");
        Map<String, AttributeValue> key = Items.key(runPk(runId), batchSk(phase, wave, batch));
        Instant now = access.now();
        Expr e = new Expr();
        String update = "SET " + e.name(ATTEMPT_ID) + " = " + e.value(attemptId)
                + ", " + e.name(CLAIMED_AT) + " = " + e.value(now.toString())
                + ", " + e.name(STATUS) + " = " + e.value(BatchState.CLAIMED.name());
        String condition = "attribute_exists(" + e.name(PK) + ") AND attribute_not_exists(" + e.name(COMMAND_ID) + ")";
        UpdateItemResponse response = access.updateReturning("claiming " + label(runId, phase, wave, batch),
                access.updateOf(key, update, condition, e), ReturnValue.ALL_OLD.toString());
        if (response == null) {
            Map<String, AttributeValue> item = access.get(key);
            if (item == null) {
                throw notPlanned(runId, phase, wave, batch);
            }
            return new BatchClaim(BatchClaim.Outcome.ALREADY_SENT, ItemCodec.batch(item), null, null);
        }
        BatchRecord before = ItemCodec.batch(response.attributes());
        BatchRecord after = new BatchRecord(phase, wave, batch, before.instanceIds(), before.concurrency(), BatchState.CLAIMED, attemptId, now, null);
        if (before.attemptId() == null || before.attemptId().equals(attemptId)) {
            return new BatchClaim(BatchClaim.Outcome.CLAIMED, after, null, null);
        }
        return new BatchClaim(BatchClaim.Outcome.IN_DOUBT, after, before.attemptId(), before.claimedAt());
    }

    /**
     * The batch gets its command id and the command item is written, in one transaction. The batch's nodes are
     * not written: a node still PLANNED in a batch with a command reads as SENT ({@link RunView}), which spares
     * the wave's send 50 writes per batch between one SendCommand and the next.
     */
    void recordSent(CommandRecord command, String attemptId) {
        Map<String, AttributeValue> batchKey = Items.key(runPk(command.runId()),
                batchSk(command.phase(), command.wave(), command.batch()));
        Expr e = new Expr();
        String cid = e.value(command.commandId());
        String update = "SET " + e.name(COMMAND_ID) + " = " + cid + ", " + e.name(STATUS) + " = "
                + e.value(BatchState.SENT.name());
        String condition = "(" + e.name(ATTEMPT_ID) + " = " + e.value(attemptId) + " AND attribute_not_exists("
                + e.name(COMMAND_ID) + ")) OR " + e.name(COMMAND_ID) + " = " + cid;
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().update(access.updateOf(batchKey, update, condition, e)).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(access.table())
                        .item(ItemCodec.commandItem(command, access.expiresAt())).build()).build());
        String what = "recording command " + command.commandId() + " for "
                + label(command.runId(), command.phase(), command.wave(), command.batch());
        if (!transact(what, items)) {
            throw claimLost(command, attemptId, access.get(batchKey));
        }
    }

    /**
     * Adds one round of a wave sent under a strict error budget, in one transaction: its batches (which must be
     * new) and the wave's {@code dispatched} and {@code batchCount}, provided the wave still has
     * {@code dispatchedBefore} nodes dispatched (another attempt did not add a round meanwhile).
     *
     * @return false (nothing written) when another attempt added a round first
     */
    boolean addRound(String runId, Phase phase, int wave, int dispatchedBefore, List<BatchRecord> round) {
        if (round.isEmpty() || round.size() > 99) {
            throw new IllegalArgumentException("a round has 1 to 99 batches, not " + round.size());
        }
        long expiresAt = access.expiresAt();
        List<TransactWriteItem> items = new ArrayList<>();
        int nodes = 0;
        for (BatchRecord b : round) {
            if (b.phase() != phase || b.wave() != wave) {
                throw new IllegalArgumentException("batch " + b.phase().id() + "/" + b.wave() + "/" + b.batch()
                        + " is not a batch of wave " + phase.id() + "/" + wave);
            }
            nodes += b.instanceIds().size();
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(access.table())
                    .item(ItemCodec.batchItem(runId, b, expiresAt))
                    .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))
                    .build()).build());
        }
        Expr e = new Expr();
        String update = "SET " + e.name(DISPATCHED) + " = " + e.value(dispatchedBefore + nodes)
                + ", " + e.name(BATCH_COUNT) + " = " + e.value(round.get(round.size() - 1).batch());
        String condition = e.name(DISPATCHED) + " = " + e.value(dispatchedBefore)
                + " AND " + e.name(SIZE) + " >= " + e.value(dispatchedBefore + nodes);
        items.add(TransactWriteItem.builder().update(access.updateOf(
                Items.key(runPk(runId), waveSk(phase, wave)), update, condition, e)).build());
        String what = "adding a round of " + nodes + " node(s) to wave " + phase.id() + "/" + wave + " of run " + runId;
        return transact(what, items);
    }

    /** Writes {@code items} in one transaction (retried on conflicts); false when a condition of theirs failed. */
    private boolean transact(String what, List<TransactWriteItem> items) {
        return access.retry().onConflict(what, () -> {
            try {
                access.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
                return true;
            } catch (TransactionCanceledException ex) {
                if (Retry.hasReason(ex, Retry.CONDITION_FAILED)) {
                    return false;
                }
                throw ex;
            }
        });
    }

    Optional<CommandRecord> find(String commandId) {
        return Optional.ofNullable(access.get(Items.key(commandPk(commandId), COMMAND_SK))).map(ItemCodec::command);
    }

    private IllegalStateException claimLost(CommandRecord command, String attemptId, Map<String, AttributeValue> item) {
        String batch = label(command.runId(), command.phase(), command.wave(), command.batch());
        if (item == null) {
            return notPlanned(command.runId(), command.phase(), command.wave(), command.batch());
        }
        BatchRecord current = ItemCodec.batch(item);
        String holder = current.commandId() != null
                ? "it already has command " + current.commandId()
                : "attempt " + current.attemptId() + " holds its claim, not " + attemptId;
        return new IllegalStateException("command " + command.commandId() + " was sent for " + batch + " but " + holder
                + "; the batch's nodes may get the command twice: check ListCommands for this run and cancel the"
                + " duplicate");
    }

    private IllegalStateException notPlanned(String runId, Phase phase, int wave, int batch) {
        return new IllegalStateException(label(runId, phase, wave, batch) + " has no record in table " + access.table()
                + ": only planned batches can be sent");
    }

    private static String label(String runId, Phase phase, int wave, int batch) {
        return "batch " + phase.id() + "/" + wave + "/" + batch + " of run " + runId;
    }
}
