package dev.fleetrun.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The one DynamoDB table that holds runs, waves, batches, nodes, commands and leases (layout in docs/internals.md):
 * on-demand, point-in-time recovery, encrypted with a KMS key, records expire through TTL. It is kept when the stack
 * is deleted: run history is evidence an operator may still need.
 */
public final class RecordsTable extends Construct {

    // Key names of the record layout, as dev.fleetrun.records.FleetrunTable fixes them.
    static final String PK = "pk";
    static final String SK = "sk";
    static final String BY_NODE = "byNode";
    static final String GSI1_PK = "gsi1pk";
    static final String GSI1_SK = "gsi1sk";
    static final String BY_TIME = "byTime";
    static final String GSI2_PK = "gsi2pk";
    static final String GSI2_SK = "gsi2sk";
    static final String TTL_ATTRIBUTE = "expiresAt";

    private final Table table;

    public RecordsTable(Construct scope, String id) {
        super(scope, id);
        table = Table.Builder.create(this, "Table")
                .partitionKey(stringKey(PK))
                .sortKey(stringKey(SK))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(BY_NODE).partitionKey(stringKey(GSI1_PK)).sortKey(stringKey(GSI1_SK))
                .projectionType(ProjectionType.ALL).build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(BY_TIME).partitionKey(stringKey(GSI2_PK)).sortKey(stringKey(GSI2_SK))
                .projectionType(ProjectionType.ALL).build());
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    public Table table() {
        return table;
    }
}
