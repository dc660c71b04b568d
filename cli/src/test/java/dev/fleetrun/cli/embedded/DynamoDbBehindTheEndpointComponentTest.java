package dev.fleetrun.cli.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fleetrun.local.dynamodb.EmbeddedDynamoDb;
import dev.fleetrun.local.ssm.Fleet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The runtime's DynamoDB Local listens on a loopback port of its own and checks no signature. The run requests
 * kept in its table are what the next wave sends to the nodes, so a process of another user that wrote there
 * directly would choose the commands the nodes run: it must answer only what the endpoint relays.
 */
class DynamoDbBehindTheEndpointComponentTest {

    @Test
    void dynamoDbLocalRefusesCallersThatDoNotComeThroughTheEndpoint() {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.of(Fleet.generate(1, Map.of())));
             DynamoDbClient direct = EmbeddedDynamoDb.newClient(runtime.dynamoDbEndpoint());
             DynamoDbClient wrongRelay = EmbeddedDynamoDb.newClient(runtime.dynamoDbEndpoint(),
                     new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                         @Override
                         public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
                                 software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
                                 software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                             return context.httpRequest().toBuilder().putHeader(EmbeddedDynamoDb.RELAY_HEADER, "guess").build();
                         }
                     });
             DynamoDbClient signed = EmbeddedDynamoDb.newClient(runtime.endpoint(), runtime.credentialsProvider())) {
            assertEquals(List.of(EmbeddedRuntime.TABLE), signed.listTables().tableNames(), "through the endpoint, signed");

            for (DynamoDbClient client : List.of(direct, wrongRelay)) {
                DynamoDbException listed = assertThrows(DynamoDbException.class, client::listTables);
                assertEquals(403, listed.statusCode(), listed.getMessage());
                DynamoDbException written = assertThrows(DynamoDbException.class, () -> client.putItem(b -> b
                        .tableName(EmbeddedRuntime.TABLE).item(Map.of("pk", AttributeValue.fromS("run#planted"),
                                "sk", AttributeValue.fromS("run")))));
                assertEquals(403, written.statusCode(), written.getMessage());
            }
            assertFalse(signed.scan(b -> b.tableName(EmbeddedRuntime.TABLE)).items().stream()
                    .anyMatch(item -> item.values().contains(AttributeValue.fromS("run#planted"))), "nothing was written");
        }
    }
}
