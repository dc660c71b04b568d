package dev.fleetrun.infra;

import dev.fleetrun.records.FleetrunTable;
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
 * is deleted: run history is evidence an operator may still need. Key, index and TTL names come from
 * {@link FleetrunTable}, the layout the records code reads and writes.
 */
public final class RecordsTable extends Construct {

    private final Table table;

    public RecordsTable(Construct scope, String id) {
        super(scope, id);
        table = Table.Builder.create(this, "Table")
                .partitionKey(stringKey(FleetrunTable.PK))
                .sortKey(stringKey(FleetrunTable.SK))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .timeToLiveAttribute(FleetrunTable.TTL_ATTRIBUTE)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(FleetrunTable.BY_NODE).partitionKey(stringKey(FleetrunTable.GSI1_PK)).sortKey(stringKey(FleetrunTable.GSI1_SK))
                .projectionType(ProjectionType.ALL).build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(FleetrunTable.BY_TIME).partitionKey(stringKey(FleetrunTable.GSI2_PK)).sortKey(stringKey(FleetrunTable.GSI2_SK))
                .projectionType(ProjectionType.ALL).build());
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    public Table table() {
        return table;
    }
}
