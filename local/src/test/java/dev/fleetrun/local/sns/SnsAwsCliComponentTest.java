package dev.fleetrun.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.local.sqs.SqsService;
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
 * An alert read the way it is read on AWS, with the AWS CLI v1 installed here: {@code aws sns subscribe --protocol sqs}
 * (SNS speaks the Query protocol: botocore 1.43's model says {@code protocols: ["query"]}), {@code aws sns publish},
 * then {@code aws sqs receive-message} (AWS JSON 1.0).
 */
class SnsAwsCliComponentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RecordedRequest> served = new CopyOnWriteArrayList<>();
    private AwsServer server;
    private AwsCli aws;

    @BeforeEach
    void start() {
        aws = AwsCli.require("SNS subscriptions", () -> server.endpoint(), () -> server.credentials());
        SqsService sqs = new SqsService(Clock.systemUTC());
        SnsService sns = new SnsService(Clock.systemUTC(), null)
                .deliverToQueues((arn, body, attributes) -> sqs.send(arn, body, attributes, "sns"));
        server = AwsServer.start(0).onRequest(served::add).queryService(sns);
        sqs.serveOn(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aQueueSubscribedWithTheCliReceivesWhatIsPublished() throws Exception {
        String topic = aws.run("sns", "create-topic", "--name", "fleetrun-alerts").json().path("TopicArn").asText();
        String url = aws.run("sqs", "create-queue", "--queue-name", "alerts").json().path("QueueUrl").asText();
        String queueArn = aws.run("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "QueueArn").json()
                .path("Attributes").path("QueueArn").asText();
        String subscription = aws.run("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
                "--notification-endpoint", queueArn).json().path("SubscriptionArn").asText();
        RecordedRequest subscribe = served.stream().filter(r -> "Subscribe".equals(r.operation())).findFirst().orElseThrow();
        assertTrue(subscribe.header("Content-Type").startsWith("application/x-www-form-urlencoded"));

        JsonNode listed = aws.run("sns", "list-subscriptions-by-topic", "--topic-arn", topic).json();
        assertEquals(subscription, listed.path("Subscriptions").get(0).path("SubscriptionArn").asText());
        assertEquals(queueArn, listed.path("Subscriptions").get(0).path("Endpoint").asText());
        JsonNode attributes = aws.run("sns", "get-subscription-attributes", "--subscription-arn", subscription).json();
        assertEquals("false", attributes.path("Attributes").path("RawMessageDelivery").asText());

        String id = aws.run("sns", "publish", "--topic-arn", topic, "--subject", "fleetrun: breach",
                "--message", "3 nodes failed").json().path("MessageId").asText();
        JsonNode received = aws.run("sqs", "receive-message", "--queue-url", url, "--wait-time-seconds", "2").json();
        JsonNode envelope = JSON.readTree(received.path("Messages").get(0).path("Body").asText());
        assertEquals(id, envelope.path("MessageId").asText());
        assertEquals("3 nodes failed", envelope.path("Message").asText());
        assertEquals("fleetrun: breach", envelope.path("Subject").asText());

        aws.run("sns", "unsubscribe", "--subscription-arn", subscription).json();
        assertEquals(0, aws.run("sns", "list-subscriptions").json().path("Subscriptions").size());
    }

    @Test
    void subscribeRefusalsReachTheCli() {
        String topic = aws.run("sns", "create-topic", "--name", "fleetrun-alerts").json().path("TopicArn").asText();
        Result notAnArn = aws.run("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
                "--notification-endpoint", "https://example.com/queue");
        assertTrue(notAnArn.stderr().contains("(InvalidParameter)") && notAnArn.stderr().contains("SQS endpoint ARN"),
                notAnArn.stderr());
        Result noTopic = aws.run("sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:nope",
                "--protocol", "sqs", "--notification-endpoint", "arn:aws:sqs:us-east-1:123456789012:alerts");
        assertTrue(noTopic.stderr().contains("(NotFound)"), noTopic.stderr());
    }
}
