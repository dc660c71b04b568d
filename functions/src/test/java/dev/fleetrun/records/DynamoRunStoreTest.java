package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Configuration of the adapter from the function environment (no endpoint is called). */
class DynamoRunStoreTest {

    private static final DynamoDbClient CLIENT = DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    @Test
    void aBadRetentionIsRejectedNamingTheVariable() {
        var notANumber = assertThrows(IllegalArgumentException.class, () -> DynamoRunStore.fromEnvironment(CLIENT,
                Map.of("FLEETRUN_RETENTION_DAYS", "ninety"), Clock.systemUTC()));
        assertTrue(notANumber.getMessage().contains("FLEETRUN_RETENTION_DAYS") && notANumber.getMessage().contains("ninety"));
        var zero = assertThrows(IllegalArgumentException.class, () -> DynamoRunStore.fromEnvironment(CLIENT,
                Map.of("FLEETRUN_RETENTION_DAYS", "0"), Clock.systemUTC()));
        assertTrue(zero.getMessage().contains("at least 1 day"), zero.getMessage());
    }

    @Test
    void tableAndRetentionComeFromTheEnvironmentWithDocumentedDefaults() {
        DynamoRunStore defaults = DynamoRunStore.fromEnvironment(CLIENT, Map.of(), Clock.systemUTC());
        assertEquals("fleetrun", defaults.tableName());
        assertEquals(Duration.ofDays(90), defaults.retention());

        DynamoRunStore configured = DynamoRunStore.fromEnvironment(CLIENT,
                Map.of("FLEETRUN_TABLE", "ops-fleetrun", "FLEETRUN_RETENTION_DAYS", " 30 "), Clock.systemUTC());
        assertEquals("ops-fleetrun", configured.tableName());
        assertEquals(Duration.ofDays(30), configured.retention());
    }
}
