package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;
import static dev.fleetrun.records.Items.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps the record types to DynamoDB items and back, following the layout of {@link FleetrunTable}.
 * Every item written gets the TTL attribute.
 */
final class ItemCodec {

    static final String RUN = "run";
    static final String WAVE_TYPE = "wave";
    static final String BATCH_TYPE = "batch";
    static final String NODE = "node";
    static final String COMMAND = "command";
    static final String LEASE = "lease";

    private ItemCodec() {
    }

    static Map<String, AttributeValue> runItem(RunRecord run, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(runPk(run.runId()), RUN_SK));
        item.put(GSI2_PK, s(RUNS_PARTITION));
        item.put(GSI2_SK, s(runGsiSk(run.createdAt(), run.runId())));
        item.put(TYPE, s(RUN));
        item.put(RUN_ID, s(run.runId()));
        putText(item, NAME, run.name());
        item.put(STATUS, s(run.status().name()));
        putText(item, REQUEST, run.requestJson());
        putText(item, DOCUMENTS, run.documentsJson());
        putText(item, EXECUTION_ARN, run.executionArn());
        putTime(item, CREATED_AT, run.createdAt());
        putTime(item, UPDATED_AT, run.updatedAt());
        putTime(item, FINISHED_AT, run.finishedAt());
        item.put(WAVE_COUNT, n(run.waveCount()));
        item.put(ROLLBACK_WAVE_COUNT, n(run.rollbackWaveCount()));
        item.put(TARGETED, n(run.targeted()));
        item.put(CONCURRENCY, n(run.concurrency()));
        item.put(ALLOWANCE, n(run.allowance()));
        item.put(ERRORS, n(run.errors()));
        for (Phase phase : Phase.values()) {
            run.counts(phase).byStatus().forEach((status, count) -> item.put(runCountAttribute(phase, status), n(count)));
        }
        putText(item, BREACH, run.breachJson());
        putText(item, APPROVAL_TOKEN, run.approvalToken());
        putText(item, SUMMARY, run.summaryJson());
        putNumber(item, LEASES_UNTIL, run.leasesUntil() == null ? null : run.leasesUntil().getEpochSecond());
        item.put(TTL_ATTRIBUTE, n(expiresAt));
        return item;
    }

    static RunRecord run(Map<String, AttributeValue> item) {
        return new RunRecord(
                text(item, RUN_ID),
                text(item, NAME),
                RunStatus.valueOf(text(item, STATUS)),
                text(item, REQUEST),
                text(item, DOCUMENTS),
                text(item, EXECUTION_ARN),
                time(item, CREATED_AT),
                time(item, UPDATED_AT),
                time(item, FINISHED_AT),
                integer(item, WAVE_COUNT),
                integer(item, ROLLBACK_WAVE_COUNT),
                integer(item, TARGETED),
                integer(item, CONCURRENCY),
                integer(item, ALLOWANCE),
                counts(item, status -> runCountAttribute(Phase.MAIN, status)),
                counts(item, status -> runCountAttribute(Phase.ROLLBACK, status)),
                integer(item, ERRORS),
                text(item, BREACH),
                text(item, APPROVAL_TOKEN),
                text(item, SUMMARY),
                item.containsKey(LEASES_UNTIL) ? Instant.ofEpochSecond(number(item, LEASES_UNTIL)) : null);
    }

    static Map<String, AttributeValue> waveItem(String runId, WaveRecord wave, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(runPk(runId), waveSk(wave.phase(), wave.wave())));
        item.put(TYPE, s(WAVE_TYPE));
        item.put(RUN_ID, s(runId));
        item.put(PHASE, s(wave.phase().id()));
        item.put(WAVE, n(wave.wave()));
        item.put(SIZE, n(wave.size()));
        item.put(DONE, n(wave.done()));
        wave.counts().byStatus().forEach((status, count) -> item.put(waveCountAttribute(status), n(count)));
        putText(item, TASK_TOKEN, wave.taskToken());
        putText(item, COMPLETED_TOKEN, wave.completedToken());
        item.put(STATUS, s(wave.status().name()));
        putTime(item, SENT_AT, wave.sentAt());
        item.put(DEADLINE, n(wave.deadline()));
        item.put(CONCURRENCY, n(wave.concurrency()));
        item.put(BATCH_COUNT, n(wave.batchCount()));
        item.put(DISPATCHED, n(wave.dispatched()));
        item.put(TTL_ATTRIBUTE, n(expiresAt));
        return item;
    }

    static WaveRecord wave(Map<String, AttributeValue> item) {
        return new WaveRecord(
                Phase.fromId(text(item, PHASE)),
                integer(item, WAVE),
                integer(item, SIZE),
                integer(item, DONE),
                counts(item, FleetrunTable::waveCountAttribute),
                text(item, TASK_TOKEN),
                text(item, COMPLETED_TOKEN),
                WaveStatus.valueOf(text(item, STATUS)),
                time(item, SENT_AT),
                number(item, DEADLINE),
                integer(item, CONCURRENCY),
                integer(item, BATCH_COUNT),
                item.containsKey(DISPATCHED) ? integer(item, DISPATCHED) : integer(item, SIZE)); // written before rounds: all
    }

    static Map<String, AttributeValue> batchItem(String runId, BatchRecord batch, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(
                Items.key(runPk(runId), batchSk(batch.phase(), batch.wave(), batch.batch())));
        item.put(TYPE, s(BATCH_TYPE));
        item.put(RUN_ID, s(runId));
        item.put(PHASE, s(batch.phase().id()));
        item.put(WAVE, n(batch.wave()));
        item.put(BATCH, n(batch.batch()));
        item.put(INSTANCE_IDS, list(batch.instanceIds()));
        item.put(CONCURRENCY, n(batch.concurrency()));
        item.put(STATUS, s(batch.state().name()));
        putText(item, ATTEMPT_ID, batch.attemptId());
        putTime(item, CLAIMED_AT, batch.claimedAt());
        putText(item, COMMAND_ID, batch.commandId());
        item.put(TTL_ATTRIBUTE, n(expiresAt));
        return item;
    }

    static BatchRecord batch(Map<String, AttributeValue> item) {
        return new BatchRecord(
                Phase.fromId(text(item, PHASE)),
                integer(item, WAVE),
                integer(item, BATCH),
                texts(item, INSTANCE_IDS),
                integer(item, CONCURRENCY),
                BatchState.valueOf(text(item, STATUS)),
                text(item, ATTEMPT_ID),
                time(item, CLAIMED_AT),
                text(item, COMMAND_ID));
    }

    static Map<String, AttributeValue> nodeItem(NodeRecord node, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(
                Items.key(runPk(node.runId()), nodeSk(node.phase(), node.wave(), node.instanceId())));
        item.put(GSI1_PK, s(nodeGsiPk(node.instanceId())));
        item.put(GSI1_SK, s(nodeGsiSk(node.runCreatedAt(), node.runId(), node.phase())));
        item.put(TYPE, s(NODE));
        item.put(RUN_ID, s(node.runId()));
        item.put(PHASE, s(node.phase().id()));
        item.put(WAVE, n(node.wave()));
        item.put(INSTANCE_ID, s(node.instanceId()));
        item.put(STATUS, s(node.status().name()));
        item.put(RANK, n(node.status().rank()));
        putText(item, COMMAND_ID, node.commandId());
        putNumber(item, RESPONSE_CODE, node.responseCode() == null ? null : node.responseCode().longValue());
        putText(item, STATUS_DETAILS, node.statusDetails());
        putText(item, OUTPUT, node.outputExcerpt());
        putText(item, ERROR_OUTPUT, node.errorExcerpt());
        putText(item, OUTPUT_URL, node.outputUrl());
        putText(item, REASON, node.reason());
        putTime(item, UPDATED_AT, node.updatedAt());
        putTime(item, RUN_CREATED_AT, node.runCreatedAt());
        item.put(TTL_ATTRIBUTE, n(expiresAt));
        return item;
    }

    static NodeRecord node(Map<String, AttributeValue> item) {
        return new NodeRecord(
                text(item, RUN_ID),
                Phase.fromId(text(item, PHASE)),
                integer(item, WAVE),
                text(item, INSTANCE_ID),
                NodeStatus.valueOf(text(item, STATUS)),
                text(item, COMMAND_ID),
                optionalInteger(item, RESPONSE_CODE),
                text(item, STATUS_DETAILS),
                text(item, OUTPUT),
                text(item, ERROR_OUTPUT),
                text(item, OUTPUT_URL),
                text(item, REASON),
                time(item, UPDATED_AT),
                time(item, RUN_CREATED_AT));
    }

    static Map<String, AttributeValue> commandItem(CommandRecord command, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(commandPk(command.commandId()), COMMAND_SK));
        item.put(TYPE, s(COMMAND));
        item.put(COMMAND_ID, s(command.commandId()));
        item.put(RUN_ID, s(command.runId()));
        item.put(PHASE, s(command.phase().id()));
        item.put(WAVE, n(command.wave()));
        item.put(BATCH, n(command.batch()));
        putText(item, TASK_TOKEN, command.taskToken());
        putTime(item, SENT_AT, command.sentAt());
        item.put(TTL_ATTRIBUTE, n(expiresAt));
        return item;
    }

    static CommandRecord command(Map<String, AttributeValue> item) {
        return new CommandRecord(
                text(item, COMMAND_ID),
                text(item, RUN_ID),
                Phase.fromId(text(item, PHASE)),
                integer(item, WAVE),
                integer(item, BATCH),
                text(item, TASK_TOKEN),
                time(item, SENT_AT));
    }

    static Map<String, AttributeValue> leaseItem(Lease lease, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(leasePk(lease.instanceId()), LEASE_SK));
        item.put(GSI2_PK, s(runLeasesGsiPk(lease.runId())));
        item.put(GSI2_SK, s(lease.instanceId()));
        item.put(TYPE, s(LEASE));
        item.put(INSTANCE_ID, s(lease.instanceId()));
        item.put(RUN_ID, s(lease.runId()));
        putText(item, EXECUTION_ARN, lease.executionArn());
        item.put(UNTIL, n(lease.until().getEpochSecond()));
        item.put(TTL_ATTRIBUTE, n(expiresAt));
        return item;
    }

    static Lease lease(Map<String, AttributeValue> item) {
        return new Lease(
                text(item, INSTANCE_ID),
                text(item, RUN_ID),
                text(item, EXECUTION_ARN),
                Instant.ofEpochSecond(number(item, UNTIL)));
    }

    private static StatusCounts counts(Map<String, AttributeValue> item,
                                       java.util.function.Function<NodeStatus, String> attribute) {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        for (NodeStatus status : NodeStatus.values()) {
            counts.put(status, integer(item, attribute.apply(status)));
        }
        return new StatusCounts(counts);
    }
}
