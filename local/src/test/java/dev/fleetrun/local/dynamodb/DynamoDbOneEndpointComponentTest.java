package dev.fleetrun.local.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RecordedRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB Local served through the runtime's single AWS endpoint: a real SDK client sees DynamoDB. */
class DynamoDbOneEndpointComponentTest {

    private static EmbeddedDynamoDb dynamo;
    private static AwsServer server;
    private static DynamoDbClient client;
    private static final List<RecordedRequest> REQUESTS = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        dynamo = EmbeddedDynamoDb.inMemory();
        server = AwsServer.start(0)
                .forward("dynamodb", "DynamoDB_20120810", dynamo.endpoint(), "1.0")
                .onRequest(REQUESTS::add);
        client = DynamoDbClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        server.credentials().accessKeyId(), server.credentials().secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
        client.createTable(b -> b.tableName("things")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        dynamo.close();
    }

    private static Map<String, AttributeValue> item(String pk, String sk, String value) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk), "value", AttributeValue.fromS(value));
    }

    @Test
    void putGetAndQueryGoThroughTheSingleEndpoint() {
        client.putItem(b -> b.tableName("things").item(item("RUN#1", "A", "first")));
        client.putItem(b -> b.tableName("things").item(item("RUN#1", "B", "second")));
        client.putItem(b -> b.tableName("things").item(item("RUN#2", "A", "other")));

        var got = client.getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("RUN#1"),
                "sk", AttributeValue.fromS("B"))));
        assertEquals("second", got.item().get("value").s());

        var query = client.query(b -> b.tableName("things").keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("RUN#1"))));
        assertEquals(List.of("first", "second"), query.items().stream().map(i -> i.get("value").s()).toList());

        RecordedRequest put = REQUESTS.stream().filter(r -> r.operation().equals("PutItem")).findFirst().orElseThrow();
        assertEquals("dynamodb", put.service());
        assertEquals("things", put.input().get("TableName").asText());
        assertTrue(put.succeeded());
    }

    @Test
    void dynamoDbErrorsArriveAsTheSdkExceptions() {
        client.putItem(b -> b.tableName("things").item(item("LEASE#i-1", "#LEASE", "run-1")));
        assertThrows(ConditionalCheckFailedException.class, () -> client.putItem(b -> b.tableName("things")
                .item(item("LEASE#i-1", "#LEASE", "run-2")).conditionExpression("attribute_not_exists(pk)")));
        RecordedRequest refused = REQUESTS.stream().filter(r -> "ConditionalCheckFailedException".equals(r.errorCode()))
                .findFirst().orElseThrow();
        assertEquals(400, refused.status());
    }

    @Test
    void aBogusSignatureIsRefusedBeforeItReachesDynamoDbLocal() {
        int before = REQUESTS.size();
        try (DynamoDbClient bogus = DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        server.credentials().accessKeyId(), "not-the-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build()) {
            var error = assertThrows(DynamoDbException.class, () -> bogus.scan(b -> b.tableName("things")));
            assertEquals(403, error.statusCode());
            assertEquals("InvalidSignatureException", error.awsErrorDetails().errorCode());
        }
        assertEquals("InvalidSignatureException", REQUESTS.get(before).errorCode(), "answered here, not by DynamoDB Local");
    }

    @Test
    void aThrottleOnDemandNeverReachesDynamoDb() {
        server.forwarded("dynamodb").throttleNext("GetItem", 1);
        var error = assertThrows(DynamoDbException.class, () -> client.getItem(b -> b.tableName("things")
                .key(Map.of("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromS("y")))));
        assertEquals("ThrottlingException", error.awsErrorDetails().errorCode());
        // the next call goes through
        assertTrue(client.getItem(b -> b.tableName("things")
                .key(Map.of("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromS("y")))).item().isEmpty());
    }
}
