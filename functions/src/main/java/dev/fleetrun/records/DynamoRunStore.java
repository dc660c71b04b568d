package dev.fleetrun.records;

import static dev.fleetrun.records.FleetrunTable.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The DynamoDB adapter of {@link RunStore}, on the one table of {@link FleetrunTable}. Every item
 * it creates carries the TTL attribute, set to the clock's now plus the retention.
 *
 * <p>Runs, their reads and their status live here; nodes, leases, batches and waves are handled
 * by small package-private parts ({@link NodeTransitions}, {@link Leases}, {@link Batches},
 * {@link Waves}) that share the client, table and clock.
 */
public final class DynamoRunStore implements RunStore {

    private final TableAccess access;
    private final BulkWriter bulk;
    private final NodeTransitions transitions;
    private final Leases leases;
    private final Batches batches;
    private final Waves waves;

    /**
     * @param client    a DynamoDB client, built once per process
     * @param tableName the fleetrun table
     * @param clock     the time written into records, leases and TTLs
     * @param retention how long items live: TTL = write time + retention
     */
    public DynamoRunStore(DynamoDbClient client, String tableName, Clock clock, Duration retention) {
        this(new TableAccess(client, tableName, clock, retention, Retry.standard()));
    }

    DynamoRunStore(TableAccess access) {
        this.access = access;
        this.bulk = new BulkWriter(access);
        this.transitions = new NodeTransitions(access);
        this.leases = new Leases(access);
        this.batches = new Batches(access);
        this.waves = new Waves(access);
    }

    @Override
    public RunControls controls() {
        return new RunControls(access);
    }

    public String tableName() {
        return access.table();
    }

    /** How long items live after they are written (their TTL). */
    public Duration retention() {
        return access.retention();
    }

    // ---- runs -------------------------------------------------------------------------------

    @Override
    public boolean createRun(RunRecord run, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {
        PlanCheck.require(run.runId(), waves, batches, nodes);
        for (Phase phase : Phase.values()) {
            long planned = waves.stream().filter(w -> w.phase() == phase).count();
            if (planned != run.waveCount(phase)) {
                throw new IllegalArgumentException("run " + run.runId() + " says " + run.waveCount(phase) + " "
                        + phase.id() + " waves but " + planned + " are planned");
            }
        }
        Map<String, AttributeValue> existing = access.get(Items.key(runPk(run.runId()), RUN_SK));
        if (existing != null) {
            return alreadyCreated(run, existing);
        }
        // The run item goes last: it is what says the plan is complete (a retry after a partial write redoes it).
        writePlan(run.runId(), waves, batches, nodes);
        RunRecord counted = withCounts(run, nodes);
        try {
            access.client().putItem(PutItemRequest.builder()
                    .tableName(access.table())
                    .item(ItemCodec.runItem(counted, access.expiresAt()))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return alreadyCreated(run, access.get(Items.key(runPk(run.runId()), RUN_SK)));
        }
    }

    @Override
    public void planRollback(String runId, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {
        PlanCheck.require(runId, waves, batches, nodes);
        List<String> problems = new ArrayList<>();
        waves.stream().filter(w -> w.phase() != Phase.ROLLBACK)
                .forEach(w -> problems.add("wave " + w.phase().id() + "/" + w.wave() + " is not a rollback wave"));
        nodes.stream().filter(n -> n.phase() != Phase.ROLLBACK || n.status() != NodeStatus.PLANNED)
                .forEach(n -> problems.add("node " + n.instanceId() + " is " + n.phase().id() + "/" + n.status()
                        + ", not a PLANNED rollback node"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the rollback plan of run " + runId + " is not one: "
                    + String.join("; ", problems));
        }
        requireRun(runId);
        writePlan(runId, waves, batches, nodes);
        Expr e = new Expr();
        String update = "SET " + e.name(ROLLBACK_WAVE_COUNT) + " = " + e.value(waves.size())
                + ", " + e.name(UPDATED_AT) + " = " + e.value(access.now().toString());
        if (!access.update("planning the rollback of run " + runId, access.updateOf(
                Items.key(runPk(runId), RUN_SK), update, "attribute_exists(" + e.name(PK) + ")", e))) {
            throw noRun(runId);
        }
    }

    @Override
    public Optional<RunRecord> getRun(String runId) {
        return Optional.ofNullable(access.get(Items.key(runPk(runId), RUN_SK))).map(ItemCodec::run);
    }

    @Override
    public Optional<RunStatus> runStatus(String runId) {
        Expr e = new Expr();
        String projection = e.name(STATUS);
        var response = access.client().getItem(GetItemRequest.builder().tableName(access.table())
                .key(Items.key(runPk(runId), RUN_SK)).consistentRead(true)
                .projectionExpression(projection).expressionAttributeNames(e.names()).build());
        return response.hasItem() && response.item().containsKey(STATUS)
                ? Optional.of(RunStatus.valueOf(Items.text(response.item(), STATUS))) : Optional.empty();
    }

    @Override
    public Optional<RunView> loadRun(String runId) {
        Expr e = new Expr();
        QueryRequest query = QueryRequest.builder()
                .tableName(access.table())
                .keyConditionExpression(e.name(PK) + " = " + e.value(runPk(runId)))
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .consistentRead(true)
                .build();
        RunRecord run = null;
        List<WaveRecord> waveRecords = new ArrayList<>();
        List<BatchRecord> batchRecords = new ArrayList<>();
        List<NodeRecord> nodeRecords = new ArrayList<>();
        for (Map<String, AttributeValue> item : access.client().queryPaginator(query).items()) {
            switch (Objects.requireNonNullElse(Items.text(item, TYPE), "")) {
                case ItemCodec.RUN -> run = ItemCodec.run(item);
                case ItemCodec.WAVE_TYPE -> waveRecords.add(ItemCodec.wave(item));
                case ItemCodec.BATCH_TYPE -> batchRecords.add(ItemCodec.batch(item));
                case ItemCodec.NODE -> nodeRecords.add(ItemCodec.node(item));
                default -> { } // an item type this version does not know: left out of the view
            }
        }
        return run == null ? Optional.empty() : Optional.of(new RunView(run, waveRecords, batchRecords, nodeRecords));
    }

    @Override
    public List<RunRecord> recentRuns(int limit) {
        return newestFirst(BY_TIME, GSI2_PK, RUNS_PARTITION, limit).stream().map(ItemCodec::run).toList();
    }

    @Override
    public List<NodeRecord> nodeHistory(String instanceId, int limit) {
        List<NodeRecord> history = newestFirst(BY_NODE, GSI1_PK, nodeGsiPk(instanceId), limit).stream()
                .map(ItemCodec::node).toList();
        // A PLANNED entry may be in flight (its batch has a command; see RunView): its wave's batches say so.
        return history.stream().map(n -> n.status() != NodeStatus.PLANNED ? n
                : RunView.sentWhereTheirBatchIs(List.of(n), batches(n.runId(), n.phase(), n.wave())).get(0)).toList();
    }

    @Override
    public List<BatchRecord> batches(String runId, Phase phase, int wave) {
        return itemsWithPrefix(runId, batchWavePrefix(phase, wave)).stream().map(ItemCodec::batch).toList();
    }

    @Override
    public List<NodeRecord> nodes(String runId, Phase phase, int wave) {
        return nodesWithPrefix(runId, nodeWavePrefix(phase, wave));
    }

    @Override
    public List<NodeRecord> nodes(String runId, Phase phase, int wave, Collection<String> instanceIds) {
        List<Map<String, AttributeValue>> keys = instanceIds.stream().distinct()
                .map(id -> Items.key(runPk(runId), nodeSk(phase, wave, id))).toList();
        return access.batchGet(keys).stream().map(ItemCodec::node).toList();
    }

    @Override
    public List<NodeRecord> nodes(String runId, Phase phase) {
        return nodesWithPrefix(runId, nodePhasePrefix(phase));
    }

    @Override
    public boolean updateRunStatus(String runId, RunStatus from, RunStatus to) {
        if (from.isTerminal()) {
            return false;
        }
        Expr e = new Expr();
        String now = e.value(access.now().toString());
        String update = "SET " + e.name(STATUS) + " = " + e.value(to.name()) + ", " + e.name(UPDATED_AT) + " = " + now
                + (to.isTerminal() ? ", " + e.name(FINISHED_AT) + " = " + now : "");
        String condition = e.name(STATUS) + " = " + e.value(from.name());
        if (access.update("moving run " + runId + " from " + from + " to " + to,
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e))) {
            return true;
        }
        requireRun(runId);
        return false;
    }

    @Override
    public void setApprovalToken(String runId, String approvalToken) {
        Expr e = new Expr();
        String update;
        String condition = "attribute_exists(" + e.name(PK) + ")";
        if (approvalToken == null) {
            update = "REMOVE " + e.name(APPROVAL_TOKEN);
        } else {
            update = "SET " + e.name(APPROVAL_TOKEN) + " = " + e.value(approvalToken)
                    + ", " + e.name(UPDATED_AT) + " = " + e.value(access.now().toString());
            condition += " AND " + runningCondition(e);
        }
        if (!access.update("setting the approval token of run " + runId,
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e))) {
            RunRecord run = requireRun(runId);
            throw new IllegalStateException("run " + runId + " is " + run.status()
                    + ": a finished run cannot wait for approval");
        }
    }

    @Override
    public boolean setBreach(String runId, String breachJson) {
        Objects.requireNonNull(breachJson, "breachJson");
        Expr e = new Expr();
        String update = "SET " + e.name(BREACH) + " = " + e.value(breachJson)
                + ", " + e.name(UPDATED_AT) + " = " + e.value(access.now().toString());
        String condition = "attribute_exists(" + e.name(PK) + ") AND attribute_not_exists(" + e.name(BREACH) + ")";
        if (access.update("recording the breach of run " + runId,
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e))) {
            return true;
        }
        requireRun(runId);
        return false;
    }

    @Override
    public void recordLeasesUntil(String runId, Instant until) {
        Expr e = new Expr();
        String value = e.value(until.getEpochSecond());
        String update = "SET " + e.name(LEASES_UNTIL) + " = " + value;
        String condition = "attribute_exists(" + e.name(PK) + ") AND (attribute_not_exists(" + e.name(LEASES_UNTIL)
                + ") OR " + e.name(LEASES_UNTIL) + " < " + value + ")";
        if (!access.update("recording when the leases of run " + runId + " end",
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e))) {
            requireRun(runId); // no run: say so; otherwise a later end is recorded already
        }
    }

    @Override
    public boolean finishRun(String runId, RunStatus status, String summaryJson) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a run finishes with a final status, not " + status);
        }
        Expr e = new Expr();
        String now = e.value(access.now().toString());
        String update = "SET " + e.name(STATUS) + " = " + e.value(status.name())
                + ", " + e.name(FINISHED_AT) + " = " + now + ", " + e.name(UPDATED_AT) + " = " + now
                + (summaryJson == null ? "" : ", " + e.name(SUMMARY) + " = " + e.value(summaryJson))
                + " REMOVE " + e.name(APPROVAL_TOKEN) + ", " + e.name(RunControls.HOLD_TOKEN) + ", "
                + e.name(RunControls.HOLD_KIND) + ", " + e.name(RunControls.HOLD_UNTIL);
        String condition = "attribute_exists(" + e.name(PK) + ") AND " + runningCondition(e);
        if (access.update("finishing run " + runId, access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e))) {
            return true;
        }
        requireRun(runId);
        return false;
    }

    @Override
    public boolean reopenRun(String runId, int redriveCount) {
        Expr e = new Expr();
        String update = "SET " + e.name(STATUS) + " = " + e.value(RunStatus.RUNNING.name()) + ", " + e.name(REDRIVE_COUNT)
                + " = " + e.value(redriveCount) + ", " + e.name(UPDATED_AT) + " = " + e.value(access.now().toString())
                + " REMOVE " + e.name(FINISHED_AT) + ", " + e.name(SUMMARY) + ", " + e.name(LEASES_UNTIL);
        String condition = e.name(STATUS) + " = " + e.value(RunStatus.FAILED.name()) + " AND (attribute_not_exists("
                + e.name(REDRIVE_COUNT) + ") OR " + e.name(REDRIVE_COUNT) + " < " + e.value(redriveCount) + ")";
        if (access.update("reopening run " + runId + " for redrive " + redriveCount,
                access.updateOf(Items.key(runPk(runId), RUN_SK), update, condition, e))) {
            return true;
        }
        requireRun(runId);
        return false;
    }

    @Override
    public int redriveCount(String runId) {
        Expr e = new Expr();
        var response = access.client().getItem(GetItemRequest.builder().tableName(access.table())
                .key(Items.key(runPk(runId), RUN_SK)).consistentRead(true)
                .projectionExpression(e.name(REDRIVE_COUNT)).expressionAttributeNames(e.names()).build());
        AttributeValue count = response.hasItem() ? response.item().get(REDRIVE_COUNT) : null;
        return count == null || count.n() == null ? 0 : Integer.parseInt(count.n());
    }

    // ---- leases, batches, waves, nodes: see the parts ---------------------------------------

    @Override
    public LeaseResult acquireLeases(String runId, String executionArn, Collection<String> instanceIds, Instant until) {
        return leases.acquire(runId, executionArn, instanceIds, until);
    }

    @Override
    public LeaseResult renewLeases(String runId, String executionArn, Collection<String> instanceIds, Instant until) {
        return leases.renew(runId, executionArn, instanceIds, until);
    }

    @Override
    public void releaseLeases(String runId, Collection<String> instanceIds) {
        leases.release(runId, instanceIds);
    }

    @Override
    public int releaseRunLeases(String runId) {
        return leases.releaseAll(runId);
    }

    @Override
    public Optional<Lease> leaseHolder(String instanceId) {
        return leases.holder(instanceId);
    }

    @Override
    public BatchClaim claimBatch(String runId, Phase phase, int wave, int batch, String attemptId) {
        return batches.claim(runId, phase, wave, batch, attemptId);
    }

    @Override
    public void recordBatchSent(CommandRecord command, String attemptId) {
        batches.recordSent(command, attemptId);
    }

    @Override
    public boolean addRound(String runId, Phase phase, int wave, int dispatchedBefore, List<BatchRecord> round) {
        return batches.addRound(runId, phase, wave, dispatchedBefore, round);
    }

    @Override
    public Optional<CommandRecord> findCommand(String commandId) {
        return batches.find(commandId);
    }

    @Override
    public void setWaveToken(String runId, Phase phase, int wave, String taskToken, long deadlineEpochSeconds) {
        waves.setToken(runId, phase, wave, taskToken, deadlineEpochSeconds);
    }

    @Override
    public Optional<WaveRecord> getWave(String runId, Phase phase, int wave) {
        return waves.get(runId, phase, wave);
    }

    @Override
    public boolean claimWaveCompletion(String runId, Phase phase, int wave, String taskToken) {
        return waves.claimCompletion(runId, phase, wave, taskToken);
    }

    @Override
    public void releaseWaveCompletion(String runId, Phase phase, int wave, String taskToken) {
        waves.releaseCompletion(runId, phase, wave, taskToken);
    }

    @Override
    public Transition recordNodeStatus(NodeUpdate update) {
        return transitions.record(update);
    }

    @Override
    public int markNotRun(String runId, Phase phase, List<NodeRecord> planned) {
        return transitions.markNotRun(runId, phase, planned);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Waves (with their counters computed from their nodes), batches and nodes, in bulk. */
    private void writePlan(String runId, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {
        long expiresAt = access.expiresAt();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (WaveRecord wave : waves) {
            List<NodeStatus> terminal = nodes.stream()
                    .filter(n -> n.phase() == wave.phase() && n.wave() == wave.wave() && n.status().isTerminal())
                    .map(NodeRecord::status).toList();
            WaveRecord counted = new WaveRecord(wave.phase(), wave.wave(), wave.size(), terminal.size(),
                    StatusCounts.of(terminal), wave.taskToken(), wave.completedToken(), wave.status(), wave.sentAt(),
                    wave.deadline(), wave.concurrency(), wave.batchCount(), wave.dispatched());
            items.add(ItemCodec.waveItem(runId, counted, expiresAt));
        }
        batches.forEach(batch -> items.add(ItemCodec.batchItem(runId, batch, expiresAt)));
        nodes.forEach(node -> items.add(ItemCodec.nodeItem(node, expiresAt)));
        bulk.putAll(items);
    }

    private static RunRecord withCounts(RunRecord run, List<NodeRecord> nodes) {
        Map<Phase, StatusCounts> counts = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            counts.put(phase, StatusCounts.of(nodes.stream()
                    .filter(n -> n.phase() == phase && n.status().isTerminal()).map(NodeRecord::status).toList()));
        }
        return new RunRecord(run.runId(), run.name(), run.status(), run.requestJson(), run.documentsJson(), run.executionArn(),
                run.createdAt(), run.updatedAt(), run.finishedAt(), run.waveCount(), run.rollbackWaveCount(),
                run.targeted(), run.concurrency(), run.allowance(), counts.get(Phase.MAIN), counts.get(Phase.ROLLBACK),
                run.errors(), run.breachJson(), run.approvalToken(), run.summaryJson(), run.leasesUntil());
    }

    private boolean alreadyCreated(RunRecord run, Map<String, AttributeValue> existingItem) {
        RunRecord existing = ItemCodec.run(existingItem);
        if (existing.executionArn() != null && run.executionArn() != null
                && !existing.executionArn().equals(run.executionArn())) {
            throw new IllegalStateException("run id " + run.runId() + " is taken by execution " + existing.executionArn()
                    + ", not " + run.executionArn() + ": start the run under another execution name");
        }
        return false;
    }

    private List<Map<String, AttributeValue>> newestFirst(String index, String partitionAttribute, String partition,
                                                          int limit) {
        if (limit < 1) {
            return List.of();
        }
        Expr e = new Expr();
        QueryRequest query = QueryRequest.builder()
                .tableName(access.table())
                .indexName(index)
                .keyConditionExpression(e.name(partitionAttribute) + " = " + e.value(partition))
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .scanIndexForward(false)
                .limit(limit)
                .build();
        return access.client().queryPaginator(query).items().stream().limit(limit).toList();
    }

    private List<NodeRecord> nodesWithPrefix(String runId, String skPrefix) {
        return itemsWithPrefix(runId, skPrefix).stream().map(ItemCodec::node).toList();
    }

    private List<Map<String, AttributeValue>> itemsWithPrefix(String runId, String skPrefix) {
        Expr e = new Expr();
        QueryRequest query = QueryRequest.builder()
                .tableName(access.table())
                .keyConditionExpression(e.name(PK) + " = " + e.value(runPk(runId))
                        + " AND begins_with(" + e.name(SK) + ", " + e.value(skPrefix) + ")")
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .consistentRead(true)
                .build();
        return access.client().queryPaginator(query).items().stream().toList();
    }

    /** {@code status IN (<every non-final run status>)}. */
    static String runningCondition(Expr e) {
        String running = Arrays.stream(RunStatus.values()).filter(s -> !s.isTerminal())
                .map(s -> e.value(s.name())).collect(Collectors.joining(", "));
        return e.name(STATUS) + " IN (" + running + ")";
    }

    private RunRecord requireRun(String runId) {
        return getRun(runId).orElseThrow(() -> noRun(runId));
    }

    private IllegalStateException noRun(String runId) {
        return new IllegalStateException("run " + runId + " has no record in table " + access.table()
                + ": was it created by StartRun?");
    }
}
