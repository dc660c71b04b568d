package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/** The key layout of docs/internals.md, "Records: one table". */
class FleetrunTableTest {

    @Test
    void keysFollowTheDocumentedLayout() {
        assertEquals("RUN#exec-1", FleetrunTable.runPk("exec-1"));
        assertEquals("WAVE#main#0003", FleetrunTable.waveSk(Phase.MAIN, 3));
        assertEquals("BATCH#rollback#0012#007", FleetrunTable.batchSk(Phase.ROLLBACK, 12, 7));
        assertEquals("NODE#main#0001#i-0abc", FleetrunTable.nodeSk(Phase.MAIN, 1, "i-0abc"));
        assertEquals("NODE#i-0abc", FleetrunTable.nodeGsiPk("i-0abc"));
        assertEquals("2026-11-22T10:00:00.000Z#exec-1#rollback",
                FleetrunTable.nodeGsiSk(Instant.parse("2026-11-22T10:00:00Z"), "exec-1", Phase.ROLLBACK));
        assertEquals("2026-11-22T10:00:00.250Z#exec-1",
                FleetrunTable.runGsiSk(Instant.parse("2026-11-22T10:00:00.250123Z"), "exec-1"));
        assertEquals("CMD#c-1", FleetrunTable.commandPk("c-1"));
        assertEquals("LEASE#i-0abc", FleetrunTable.leasePk("i-0abc"));
        assertEquals("count#FAILED", FleetrunTable.waveCountAttribute(NodeStatus.FAILED));
        assertEquals("rollback#SUCCEEDED", FleetrunTable.runCountAttribute(Phase.ROLLBACK, NodeStatus.SUCCEEDED));
    }

    @Test
    void sortableTimesSortAsTextInTimeOrder() {
        List<Instant> times = List.of(Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T10:00:00.5Z"),
                Instant.parse("2026-11-22T10:00:01Z"));
        List<String> texts = times.stream().map(FleetrunTable::sortableTime).toList();
        assertEquals(texts.stream().sorted().toList(), texts);
    }

    @Test
    void numbersThatDoNotFitTheirDigitsAndEmptyIdsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> FleetrunTable.waveSk(Phase.MAIN, 10_000));
        assertTrue(e.getMessage().contains("wave number 10000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FleetrunTable.batchSk(Phase.MAIN, 1, 1_000));
        assertThrows(IllegalArgumentException.class, () -> FleetrunTable.runPk(""));
    }

    @Test
    void theTableDefinitionHasStringKeysTwoFullIndexesAndOnDemandBilling() {
        CreateTableRequest table = FleetrunTable.createTableRequest("fleetrun");

        assertEquals("fleetrun", table.tableName());
        assertEquals(BillingMode.PAY_PER_REQUEST, table.billingMode());
        assertEquals(List.of("pk", "sk"), keyNames(table.keySchema()));
        Map<String, GlobalSecondaryIndex> indexes = table.globalSecondaryIndexes().stream()
                .collect(java.util.stream.Collectors.toMap(GlobalSecondaryIndex::indexName, i -> i));
        assertEquals(List.of("gsi1pk", "gsi1sk"), keyNames(indexes.get("byNode").keySchema()));
        assertEquals(List.of("gsi2pk", "gsi2sk"), keyNames(indexes.get("byTime").keySchema()));
        assertTrue(indexes.values().stream().allMatch(i -> i.projection().projectionType() == ProjectionType.ALL));
        assertTrue(table.attributeDefinitions().stream().allMatch(a -> a.attributeTypeAsString().equals("S")));
        assertEquals("expiresAt", FleetrunTable.timeToLiveRequest("fleetrun").timeToLiveSpecification().attributeName());
    }

    private static List<String> keyNames(List<KeySchemaElement> keys) {
        return keys.stream().map(KeySchemaElement::attributeName).toList();
    }
}
