package dev.fleetrun.records;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The one DynamoDB table of fleetrun: its key layout, attribute names and definition
 * (docs/internals.md, "Records: one table"). The adapter, the CDK stack and the embedded runtime
 * all read the table definition from here, so they cannot drift apart.
 *
 * <p>Every item has {@code pk}/{@code sk}; node items are also in the {@code byNode} index (one
 * node's history across runs), run items in the {@code byTime} index (recent runs), and so are
 * lease items, under their run (a run's leases). Waves and
 * batches are zero-padded (4 and 3 digits) so that the sort key orders them.
 */
public final class FleetrunTable {

    /** The table name when {@code FLEETRUN_TABLE} is not set. */
    public static final String DEFAULT_NAME = "fleetrun";

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";
    /** The node history index: {@code gsi1pk = NODE#<instanceId>}, newest run first when queried descending. */
    public static final String BY_NODE = "byNode";
    /**
     * The recent runs index: {@code gsi2pk = RUNS}, newest first when queried descending. Lease items are in it
     * too, under {@code gsi2pk = LEASES#<runId>}: a run's leases, found without its run record.
     */
    public static final String BY_TIME = "byTime";
    /** The TTL attribute (epoch seconds): DynamoDB deletes an item some time after it. */
    public static final String TTL_ATTRIBUTE = "expiresAt";

    // Item attributes besides the keys. Times are ISO-8601 text unless said otherwise.
    /** What an item is: {@code run}, {@code wave}, {@code batch}, {@code node}, {@code command}, {@code lease}. */
    public static final String TYPE = "type";
    public static final String RUN_ID = "runId";
    public static final String NAME = "name";
    /** Run, wave, batch and node status (enum name). */
    public static final String STATUS = "status";
    /** A node status's {@code NodeStatus.rank()}: the number the forward-only conditions compare. */
    public static final String RANK = "rank";
    public static final String REQUEST = "request";
    /** The resolved SSM documents of the run, as JSON {"main": {...}, "rollback": {...}}. */
    public static final String DOCUMENTS = "documents";
    public static final String EXECUTION_ARN = "executionArn";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String FINISHED_AT = "finishedAt";
    public static final String WAVE_COUNT = "waveCount";
    public static final String ROLLBACK_WAVE_COUNT = "rollbackWaveCount";
    public static final String TARGETED = "targeted";
    public static final String CONCURRENCY = "concurrency";
    public static final String ALLOWANCE = "allowance";
    public static final String ERRORS = "errors";
    public static final String BREACH = "breach";
    public static final String APPROVAL_TOKEN = "approvalToken";
    public static final String SUMMARY = "summary";
    public static final String PHASE = "phase";
    public static final String WAVE = "wave";
    public static final String BATCH = "batch";
    public static final String SIZE = "size";
    public static final String DONE = "done";
    public static final String TASK_TOKEN = "taskToken";
    public static final String COMPLETED_TOKEN = "completedToken";
    public static final String SENT_AT = "sentAt";
    /** Epoch seconds. */
    public static final String DEADLINE = "deadline";
    public static final String BATCH_COUNT = "batchCount";
    /** Nodes of a wave in its batches so far (all of them but in a strict budget's rounds). */
    public static final String DISPATCHED = "dispatched";
    public static final String INSTANCE_IDS = "instanceIds";
    public static final String ATTEMPT_ID = "attemptId";
    public static final String CLAIMED_AT = "claimedAt";
    public static final String COMMAND_ID = "commandId";
    public static final String INSTANCE_ID = "instanceId";
    public static final String RESPONSE_CODE = "responseCode";
    public static final String STATUS_DETAILS = "statusDetails";
    public static final String OUTPUT = "output";
    public static final String ERROR_OUTPUT = "errorOutput";
    public static final String OUTPUT_URL = "outputUrl";
    public static final String REASON = "reason";
    public static final String RUN_CREATED_AT = "runCreatedAt";
    /** A lease's end, epoch seconds. */
    public static final String UNTIL = "until";
    /** On a run: when the leases on its nodes end, as last taken or renewed, epoch seconds. */
    public static final String LEASES_UNTIL = "leasesUntil";
    /** On the run item: the redrive count of the execution when the run was last resumed (absent: never). */
    public static final String REDRIVE_COUNT = "redriveCount";

    /** {@code gsi2pk} of every run item. */
    public static final String RUNS_PARTITION = "RUNS";
    public static final String RUN_SK = "#RUN";
    public static final String COMMAND_SK = "#CMD";
    public static final String LEASE_SK = "#LEASE";
    public static final String WAVE_PREFIX = "WAVE#";
    public static final String BATCH_PREFIX = "BATCH#";
    public static final String NODE_PREFIX = "NODE#";

    /** Fixed-width UTC time with milliseconds: sorts as text in time order (Instant.toString() does not). */
    private static final DateTimeFormatter SORTABLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FleetrunTable() {
    }

    public static String runPk(String runId) {
        return "RUN#" + requireText(runId, "runId");
    }

    public static String waveSk(Phase phase, int wave) {
        return WAVE_PREFIX + phase.id() + "#" + pad(wave, 4, "wave");
    }

    public static String batchSk(Phase phase, int wave, int batch) {
        return BATCH_PREFIX + phase.id() + "#" + pad(wave, 4, "wave") + "#" + pad(batch, 3, "batch");
    }

    public static String nodeSk(Phase phase, int wave, String instanceId) {
        return nodeWavePrefix(phase, wave) + requireText(instanceId, "instanceId");
    }

    /** Sort key prefix of every batch of one wave. */
    public static String batchWavePrefix(Phase phase, int wave) {
        return BATCH_PREFIX + phase.id() + "#" + pad(wave, 4, "wave") + "#";
    }

    /** Sort key prefix of every node of one phase. */
    public static String nodePhasePrefix(Phase phase) {
        return NODE_PREFIX + phase.id() + "#";
    }

    /** Sort key prefix of every node of one wave. */
    public static String nodeWavePrefix(Phase phase, int wave) {
        return nodePhasePrefix(phase) + pad(wave, 4, "wave") + "#";
    }

    public static String nodeGsiPk(String instanceId) {
        return NODE_PREFIX + requireText(instanceId, "instanceId");
    }

    public static String nodeGsiSk(Instant runCreatedAt, String runId, Phase phase) {
        return sortableTime(runCreatedAt) + "#" + runId + "#" + phase.id();
    }

    public static String runGsiSk(Instant createdAt, String runId) {
        return sortableTime(createdAt) + "#" + runId;
    }

    public static String commandPk(String commandId) {
        return "CMD#" + requireText(commandId, "commandId");
    }

    public static String leasePk(String instanceId) {
        return "LEASE#" + requireText(instanceId, "instanceId");
    }

    /** {@code gsi2pk} of every lease a run holds (the {@code byTime} index, sort key the instance id). */
    public static String runLeasesGsiPk(String runId) {
        return "LEASES#" + requireText(runId, "runId");
    }

    /** A time as the index sort keys hold it: UTC, fixed width, millisecond precision. */
    public static String sortableTime(Instant time) {
        return SORTABLE_TIME.format(time);
    }

    /** The attribute of a wave item that counts its nodes with this (terminal) status. */
    public static String waveCountAttribute(NodeStatus status) {
        return "count#" + status.name();
    }

    /** The attribute of a run item that counts the nodes of a phase with this (terminal) status. */
    public static String runCountAttribute(Phase phase, NodeStatus status) {
        return phase.id() + "#" + status.name();
    }

    /**
     * The full table definition: string keys {@code pk}/{@code sk}, the GSIs {@code byNode} and
     * {@code byTime} projecting all attributes, on-demand billing. The TTL attribute is set
     * separately ({@link #timeToLiveRequest}); DynamoDB does not take it at creation.
     */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(requireText(tableName, "tableName"))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        stringAttribute(PK), stringAttribute(SK),
                        stringAttribute(GSI1_PK), stringAttribute(GSI1_SK),
                        stringAttribute(GSI2_PK), stringAttribute(GSI2_SK))
                .keySchema(hashKey(PK), rangeKey(SK))
                .globalSecondaryIndexes(
                        index(BY_NODE, GSI1_PK, GSI1_SK),
                        index(BY_TIME, GSI2_PK, GSI2_SK))
                .build();
    }

    /** Turns on TTL on {@link #TTL_ATTRIBUTE}; call once after the table is active. */
    public static UpdateTimeToLiveRequest timeToLiveRequest(String tableName) {
        return UpdateTimeToLiveRequest.builder()
                .tableName(requireText(tableName, "tableName"))
                .timeToLiveSpecification(TimeToLiveSpecification.builder()
                        .attributeName(TTL_ATTRIBUTE).enabled(true).build())
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(hashKey(pk), rangeKey(sk))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hashKey(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement rangeKey(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static String pad(int number, int digits, String what) {
        int max = (int) Math.pow(10, digits) - 1;
        if (number < 0 || number > max) {
            throw new IllegalArgumentException(what + " number " + number + " is outside 0.." + max
                    + " (the record keys hold " + digits + " digits)");
        }
        return String.format("%0" + digits + "d", number);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty (it is part of a record key)");
        }
        return value;
    }
}
