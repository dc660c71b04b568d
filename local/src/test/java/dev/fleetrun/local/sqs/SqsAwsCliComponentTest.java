package dev.fleetrun.local.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.testing.AwsCli;
import dev.fleetrun.local.testing.AwsCli.Result;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RecordedRequest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SQS as the AWS CLI v1 installed here drives it: botocore 1.43's SQS model says {@code protocols: ["json"]},
 * {@code awsQueryCompatible}, so every call is AWS JSON 1.0 ({@code X-Amz-Target: AmazonSQS.*}) and errors are shown
 * with their Query code. Each operation the walkthrough uses, as a user types it.
 */
class SqsAwsCliComponentTest {
    private final List<RecordedRequest> served = new CopyOnWriteArrayList<>();
    private AwsServer server;
    private AwsCli aws;

    @BeforeEach
    void start() {
        aws = AwsCli.require("SQS", () -> server.endpoint(), () -> server.credentials());
        server = AwsServer.start(0).onRequest(served::add);
        new SqsService(Clock.systemUTC()).serveOn(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createSendReceiveDeleteAndCountFromTheCli() {
        String url = aws.run("sqs", "create-queue", "--queue-name", "alerts").json().path("QueueUrl").asText();
        assertEquals(server.endpoint() + "/123456789012/alerts", url);
        assertEquals(url, aws.run("sqs", "get-queue-url", "--queue-name", "alerts").json().path("QueueUrl").asText());
        RecordedRequest create = served.get(0);
        assertEquals("AmazonSQS.CreateQueue", create.header("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.0", create.header("Content-Type"));

        JsonNode sent = aws.run("sqs", "send-message", "--queue-url", url, "--message-body", "disk full on i-1",
                "--message-attributes", "{\"runId\": {\"DataType\": \"String\", \"StringValue\": \"clean-logs\"}}").json();
        assertEquals(MessageAttribute.md5OfBody("disk full on i-1"), sent.path("MD5OfMessageBody").asText());

        JsonNode received = aws.run("sqs", "receive-message", "--queue-url", url, "--message-attribute-names", "All",
                "--message-system-attribute-names", "All", "--wait-time-seconds", "1").json();
        JsonNode message = received.path("Messages").get(0);
        assertEquals(sent.path("MessageId").asText(), message.path("MessageId").asText());
        assertEquals("disk full on i-1", message.path("Body").asText());
        assertEquals("clean-logs", message.path("MessageAttributes").path("runId").path("StringValue").asText());
        assertEquals("1", message.path("Attributes").path("ApproximateReceiveCount").asText());

        JsonNode counts = aws.run("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All").json();
        assertEquals("0", counts.path("Attributes").path("ApproximateNumberOfMessages").asText());
        assertEquals("1", counts.path("Attributes").path("ApproximateNumberOfMessagesNotVisible").asText());

        aws.run("sqs", "delete-message", "--queue-url", url, "--receipt-handle", message.path("ReceiptHandle").asText()).json();
        JsonNode after = aws.run("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                "ApproximateNumberOfMessagesNotVisible").json();
        assertEquals("0", after.path("Attributes").path("ApproximateNumberOfMessagesNotVisible").asText());
        assertEquals(0, aws.run("sqs", "receive-message", "--queue-url", url).json().path("Messages").size());
    }

    @Test
    void errorsReachTheCliWithTheirQueryCodes() {
        Result missing = aws.run("sqs", "get-queue-url", "--queue-name", "nope");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the"
                + " GetQueueUrl operation: The specified queue does not exist"), missing.stderr());

        String url = aws.run("sqs", "create-queue", "--queue-name", "strict").json().path("QueueUrl").asText();
        Result badHandle = aws.run("sqs", "delete-message", "--queue-url", url, "--receipt-handle", "forged");
        assertTrue(badHandle.stderr().contains("(ReceiptHandleIsInvalid)"), badHandle.stderr());
        Result tooMany = aws.run("sqs", "receive-message", "--queue-url", url, "--max-number-of-messages", "11");
        assertTrue(tooMany.stderr().contains("(InvalidParameterValue)") && tooMany.stderr().contains("between 1 and 10"),
                tooMany.stderr());

        Result unsigned = aws.run("sqs", "list-queues", "--no-sign-request");
        assertTrue(unsigned.stderr().contains("(MissingAuthenticationToken)"), unsigned.stderr());
    }
}
