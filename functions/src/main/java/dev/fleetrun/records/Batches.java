package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
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
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Batch claims and commands: what keeps a retried SendWave from sending a batch twice, and what
 * lets the status listener go from a command id to its run, wave and token.
 */
final class Batches {
    /** DynamoDB's limit on the items of one transaction. */
    static final int NODES_PER_TRANSACTION = 100;

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
     * The batch gets its command id, the command item is written and the batch's nodes go SENT, all in one
     * transaction. When one of the nodes is further along already (its result overtook this record), the
     * batch and command are written on their own and the nodes moved one transaction later.
     */
    void recordSent(CommandRecord command, String attemptId, Collection<String> instanceIds) {
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
        List<String> ids = List.copyOf(new LinkedHashSet<>(instanceIds));
        String what = "recording command " + command.commandId() + " for "
                + label(command.runId(), command.phase(), command.wave(), command.batch());
        if (items.size() + ids.size() <= NODES_PER_TRANSACTION) {
            List<TransactWriteItem> withNodes = new ArrayList<>(items);
            ids.forEach(id -> withNodes.add(TransactWriteItem.builder().update(sentUpdate(command, id)).build()));
            Recorded together = access.retry().onConflict(what, () -> transact(withNodes));
            if (together == Recorded.YES) {
                return;
            }
            if (together == Recorded.BATCH_REFUSED) {
                throw claimLost(command, attemptId, access.get(batchKey));
            }
        }
        if (access.retry().onConflict(what, () -> transact(items)) != Recorded.YES) {
            throw claimLost(command, attemptId, access.get(batchKey));
        }
        markSent(command, ids);
    }

    private enum Recorded { YES, BATCH_REFUSED, NODE_REFUSED }

    /** A transaction whose first item is the batch's update; the items after the command's put are nodes. */
    private Recorded transact(List<TransactWriteItem> items) {
        try {
            access.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
            return Recorded.YES;
        } catch (TransactionCanceledException ex) {
            if (!Retry.hasReason(ex, Retry.CONDITION_FAILED)) {
                throw ex;
            }
            return Retry.CONDITION_FAILED.equals(Retry.reason(ex, 0)) ? Recorded.BATCH_REFUSED : Recorded.NODE_REFUSED;
        }
    }

    Optional<CommandRecord> find(String commandId) {
        return Optional.ofNullable(access.get(Items.key(commandPk(commandId), COMMAND_SK))).map(ItemCodec::command);
    }

    /**
     * PLANNED becomes SENT with the command id; a node already further along is left alone. The nodes of a
     * batch (at most 50) move in one transaction; when one of them is further along already (its result
     * overtook the send), each moves on its own.
     */
    private void markSent(CommandRecord command, List<String> instanceIds) {
        for (int from = 0; from < instanceIds.size(); from += NODES_PER_TRANSACTION) {
            List<Update> updates = instanceIds.subList(from, Math.min(instanceIds.size(), from + NODES_PER_TRANSACTION))
                    .stream().map(id -> sentUpdate(command, id)).toList();
            String what = "marking " + updates.size() + " nodes of command " + command.commandId() + " SENT";
            boolean all = access.retry().onConflict(what, () -> {
                try {
                    access.client().transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                            updates.stream().map(u -> TransactWriteItem.builder().update(u).build()).toList()).build());
                    return true;
                } catch (TransactionCanceledException ex) {
                    if (Retry.hasReason(ex, Retry.CONDITION_FAILED)) {
                        return false;
                    }
                    throw ex;
                }
            });
            if (!all) {
                for (Update u : updates) {
                    access.update("marking a node of command " + command.commandId() + " SENT", u);
                }
            }
        }
    }

    private Update sentUpdate(CommandRecord command, String instanceId) {
        Expr e = new Expr();
        String rank = e.value(NodeStatus.SENT.rank());
        String update = "SET " + e.name(STATUS) + " = " + e.value(NodeStatus.SENT.name())
                + ", " + e.name(RANK) + " = " + rank
                + ", " + e.name(COMMAND_ID) + " = " + e.value(command.commandId())
                + ", " + e.name(UPDATED_AT) + " = " + e.value(access.now().toString());
        String condition = "attribute_exists(" + e.name(PK) + ") AND " + e.name(RANK) + " < " + rank;
        return access.updateOf(Items.key(runPk(command.runId()), nodeSk(command.phase(), command.wave(), instanceId)),
                update, condition, e);
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
