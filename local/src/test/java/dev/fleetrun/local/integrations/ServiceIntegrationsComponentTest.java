package dev.fleetrun.local.integrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.dynamodb.EmbeddedDynamoDb;
import dev.fleetrun.local.events.EventBridgeService;
import dev.fleetrun.local.events.EventBus;
import dev.fleetrun.local.events.TargetHandlers;
import dev.fleetrun.local.lambda.LambdaRegistry;
import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.ExecutionStatus;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.JavaClock;
import dev.fleetrun.local.sfn.time.VirtualClock;
import dev.fleetrun.local.sns.SnsService;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The engine's service integrations against the runtime's services, through a small state machine: DynamoDB
 * (through the single endpoint to DynamoDB Local), a Lambda function, SNS publish and EventBridge putEvents,
 * with the result shapes and error names Step Functions gives.
 */
class ServiceIntegrationsComponentTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:fleetrun-alerts";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static VirtualClock clock;
    private static EmbeddedDynamoDb dynamoDb;
    private static AwsServer server;
    private static DynamoDbClient dynamo;
    private static LambdaRegistry lambdas;
    private static SnsService sns;
    private static EventBus bus;
    private static StepFunctionsService stepFunctions;

    @BeforeAll
    static void start() {
        clock = new VirtualClock();
        dynamoDb = EmbeddedDynamoDb.inMemory();
        lambdas = new LambdaRegistry(clock);
        sns = new SnsService(JavaClock.of(clock), null);
        var invokers = new TaskInvokers();
        stepFunctions = new StepFunctionsService(StepFunctionsEngine.builder().clock(clock).invokers(invokers).build());
        bus = new EventBus(clock, TargetHandlers.forRuntime(lambdas, stepFunctions));
        EventBridgeService events = new EventBridgeService(bus, JavaClock.of(clock));
        server = AwsServer.start(0).queryService(sns).jsonService(EventBridgeService.TARGET_PREFIX, events)
                .forward("dynamodb", "DynamoDB_20120810", dynamoDb.endpoint(), "1.0");
        dynamo = LocalClients.dynamoDb(server);
        ServiceIntegrations.register(invokers, lambdas, sns, events, dynamo);

        sns.createTopic("fleetrun-alerts");
        lambdas.register("Evaluate", payload -> Json.object().put("decision",
                "RUNNING".equals(payload.path("item").path("status").path("S").asText()) ? "CONTINUE" : "BREACH"));
        dynamo.createTable(b -> b.tableName("runs").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
        dynamoDb.close();
    }

    private static Execution run(String definition, String input) {
        var machine = stepFunctions.createStateMachine("m" + NAMES.incrementAndGet(), definition,
                "arn:aws:iam::123456789012:role/sfn", "STANDARD");
        return EngineHarness.finish(stepFunctions.startExecution(machine.arn(), "run", input));
    }

    @Test
    void aRunRecordsAlertsAndAnnouncesThroughTheIntegrations() {
        String definition = """
            {"StartAt": "Put", "States": {
              "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                      "Parameters": {"TableName": "runs", "Item": {"pk": {"S.$": "$.runId"}, "status": {"S": "STARTED"}}},
                      "ResultPath": "$.put", "Next": "Update"},
              "Update": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                      "Parameters": {"TableName": "runs", "Key": {"pk": {"S.$": "$.runId"}},
                                     "UpdateExpression": "SET #s = :s, waves = :w",
                                     "ExpressionAttributeNames": {"#s": "status"},
                                     "ExpressionAttributeValues": {":s": {"S": "RUNNING"}, ":w": {"L": [{"N": "1"}, {"N": "2"}]}},
                                     "ReturnValues": "ALL_NEW"},
                      "ResultSelector": {"status.$": "$.Attributes.status.S"}, "ResultPath": "$.update", "Next": "Get"},
              "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                      "Parameters": {"TableName": "runs", "Key": {"pk": {"S.$": "$.runId"}}, "ConsistentRead": true},
                      "ResultPath": "$.get", "Next": "Evaluate"},
              "Evaluate": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Evaluate",
                      "Parameters": {"item.$": "$.get.Item"}, "ResultPath": "$.evaluate", "Next": "Alert"},
              "Alert": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                      "Parameters": {"TopicArn": "%s", "Subject": "fleetrun alert",
                                     "Message": {"runId.$": "$.runId", "decision.$": "$.evaluate.decision"},
                                     "MessageAttributes": {"runId": {"DataType": "String", "StringValue.$": "$.runId"}}},
                      "ResultPath": "$.alert", "Next": "Announce"},
              "Announce": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
                      "Parameters": {"Entries": [{"Source": "fleetrun", "DetailType": "Fleetrun Run Finished",
                                                  "Detail": {"runId.$": "$.runId"}}]},
                      "ResultPath": "$.announce", "Next": "Delete"},
              "Delete": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:deleteItem",
                      "Parameters": {"TableName": "runs", "Key": {"pk": {"S.$": "$.runId"}}, "ReturnValues": "ALL_OLD"},
                      "ResultSelector": {"deleted.$": "$.Attributes.pk.S"}, "ResultPath": "$.delete", "End": true}}}
            """.formatted(TOPIC);
        Execution execution = run(definition, "{\"runId\": \"run-1\"}");

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error() + ": " + execution.cause());
        JsonNode out = execution.output();
        assertEquals(200, out.path("put").path("SdkHttpMetadata").path("HttpStatusCode").asInt());
        assertTrue(out.path("put").path("SdkResponseMetadata").path("RequestId").isTextual());
        assertEquals("RUNNING", out.path("update").path("status").asText());
        assertEquals(2, out.path("get").path("Item").path("waves").path("L").size());
        assertEquals("CONTINUE", out.path("evaluate").path("decision").asText());

        String messageId = out.path("alert").path("MessageId").asText();
        SnsService.Message alert = sns.messages(TOPIC).stream().filter(m -> m.messageId().equals(messageId)).findFirst()
                .orElseThrow(() -> new AssertionError("no message " + messageId + " in " + sns.messages()));
        assertEquals("{\"runId\":\"run-1\",\"decision\":\"CONTINUE\"}", alert.message());
        assertEquals("run-1", alert.attributes().get("runId").value());
        assertEquals(200, out.path("alert").path("SdkHttpMetadata").path("HttpStatusCode").asInt());

        assertEquals(0, out.path("announce").path("FailedEntryCount").asInt());
        String eventId = out.path("announce").path("Entries").get(0).path("EventId").asText();
        JsonNode event = bus.events().stream().filter(e -> e.path("id").asText().equals(eventId)).findFirst().orElseThrow();
        assertEquals("run-1", event.path("detail").path("runId").asText());
        assertEquals(execution.info().stateMachineArn(), event.path("resources").get(0).asText());
        assertEquals(execution.arn(), event.path("resources").get(1).asText());

        assertEquals("run-1", out.path("delete").path("deleted").asText());
        assertEquals(0, dynamo.getItem(b -> b.tableName("runs").key(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("run-1")))).item().size());
    }

    private static String caught(String state) {
        String definition = """
            {"StartAt": "Try", "States": {
              "Try": %s,
              "Caught": {"Type": "Pass", "End": true}}}""".formatted(state);
        Execution execution = run(definition, "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error() + ": " + execution.cause());
        return execution.output().path("Error").asText() + " | " + execution.output().path("Cause").asText();
    }

    private static String task(String resource, String parameters) {
        return "{\"Type\": \"Task\", \"Resource\": \"" + resource + "\", \"Parameters\": " + parameters
                + ", \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"Caught\"}], \"End\": true}";
    }

    @Test
    void serviceErrorsGetTheNamesStepFunctionsGivesThem() {
        dynamo.putItem(b -> b.tableName("runs").item(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("LEASE#i-1"))));
        String conditional = caught(task("arn:aws:states:::dynamodb:putItem", """
                {"TableName": "runs", "Item": {"pk": {"S": "LEASE#i-1"}}, "ConditionExpression": "attribute_not_exists(pk)"}"""));
        assertTrue(conditional.startsWith("DynamoDB.ConditionalCheckFailedException | "), conditional);
        assertTrue(conditional.contains("Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException"),
                conditional);

        String noTable = caught(task("arn:aws:states:::dynamodb:getItem", "{\"TableName\": \"nope\", \"Key\": {\"pk\": {\"S\": \"x\"}}}"));
        assertTrue(noTable.startsWith("DynamoDB.ResourceNotFoundException | "), noTable);

        String validation = caught(task("arn:aws:states:::dynamodb:updateItem",
                "{\"TableName\": \"runs\", \"Key\": {\"pk\": {\"S\": \"x\"}}, \"UpdateExpression\": \"SET\"}"));
        assertTrue(validation.startsWith("DynamoDB.AmazonDynamoDBException | "), validation);

        String noTopic = caught(task("arn:aws:states:::sns:publish",
                "{\"TopicArn\": \"arn:aws:sns:us-east-1:123456789012:nope\", \"Message\": \"x\"}"));
        assertTrue(noTopic.startsWith("SNS.NotFoundException | "), noTopic);

        String refused = caught(task("arn:aws:states:::events:putEvents",
                "{\"Entries\": [{\"Source\": \"aws.ssm\", \"DetailType\": \"x\", \"Detail\": {}}]}"));
        assertTrue(refused.startsWith("EventBridge.FailedEntry | "), refused);
        assertTrue(refused.contains("NotAuthorizedForSourceException"), refused);
    }

    @Test
    void throttledServicesFailTheTaskSoARetrierCanTakeIt() {
        sns.throttleNext("Publish", 1);
        String definition = """
            {"StartAt": "Alert", "States": {"Alert": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
              "Parameters": {"TopicArn": "%s", "Message": "retried"},
              "Retry": [{"ErrorEquals": ["SNS.ThrottledException"], "IntervalSeconds": 1}], "End": true}}}""".formatted(TOPIC);
        Execution execution = run(definition, "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.error() + ": " + execution.cause());
        assertEquals(1, sns.messages(TOPIC).stream().filter(m -> m.message().equals("retried")).count());
    }

    @Test
    void anUnsupportedParameterFailsTheExecutionNamingIt() {
        Execution execution = run("""
            {"StartAt": "Get", "States": {"Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
              "Parameters": {"TableName": "runs", "Key": {"pk": {"S": "x"}}, "AttributesToGet": ["pk"]}, "End": true}}}""", "{}");
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("States.Runtime", execution.error());
        assertTrue(execution.cause().contains("AttributesToGet"), execution.cause());
    }
}
