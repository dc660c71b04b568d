package dev.fleetrun.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The records table: on-demand, recoverable, encrypted, expiring, with the keys and indexes of docs/internals.md. */
class RecordsTableTemplateTest {

    private static final String TABLE = "AWS::DynamoDB::Table";

    @Test
    void billsOnDemand() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("BillingMode", "PAY_PER_REQUEST"));
    }

    @Test
    void keepsPointInTimeRecovery() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("PointInTimeRecoverySpecification",
                Map.of("PointInTimeRecoveryEnabled", true)));
    }

    @Test
    void isEncryptedWithKms() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("SSESpecification",
                Map.of("SSEEnabled", true)));
    }

    @Test
    void expiresRecordsByTtlOnExpiresAt() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("TimeToLiveSpecification",
                Map.of("AttributeName", "expiresAt", "Enabled", true)));
    }

    @Test
    void isKeyedByPkAndSk() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("KeySchema", List.of(
                Map.of("AttributeName", "pk", "KeyType", "HASH"), Map.of("AttributeName", "sk", "KeyType", "RANGE"))));
    }

    @Test
    void answersNodeHistoryThroughByNode() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("GlobalSecondaryIndexes",
                Match.arrayWith(List.of(Map.of("IndexName", "byNode",
                        "KeySchema", List.of(Map.of("AttributeName", "gsi1pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "gsi1sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL"))))));
    }

    @Test
    void answersRecentRunsThroughByTime() {
        Synthesized.configured().template.hasResourceProperties(TABLE, Map.of("GlobalSecondaryIndexes",
                Match.arrayWith(List.of(Map.of("IndexName", "byTime",
                        "KeySchema", List.of(Map.of("AttributeName", "gsi2pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "gsi2sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL"))))));
    }

    @Test
    void survivesStackDeletion() {
        Synthesized.configured().template.hasResource(TABLE, Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    }
}
