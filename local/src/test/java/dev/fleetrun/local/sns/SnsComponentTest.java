package dev.fleetrun.local.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;

/** SNS behind the AWS Query protocol, driven by the real SDK client; messages read back from memory and file. */
class SnsComponentTest {
    @TempDir
    Path workDir;

    private SnsService sns;
    private AwsServer server;
    private SnsClient client;

    @BeforeEach
    void start() {
        sns = new SnsService(Clock.fixed(Instant.parse("2024-05-14T10:20:00Z"), ZoneOffset.UTC),
                workDir.resolve("sns/messages.jsonl"));
        server = AwsServer.start(0).queryService(sns);
        client = LocalClients.sns(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aPublishedAlertCanBeReadBackFromTheServiceAndTheFile() throws Exception {
        String topic = client.createTopic(b -> b.name("fleetrun-alerts")).topicArn();
        assertEquals("arn:aws:sns:us-east-1:123456789012:fleetrun-alerts", topic);
        assertEquals(topic, client.createTopic(b -> b.name("fleetrun-alerts")).topicArn(), "CreateTopic is idempotent");
        assertEquals(List.of(topic), client.listTopics().topics().stream().map(t -> t.topicArn()).toList());

        String id = client.publish(b -> b.topicArn(topic).subject("fleetrun: run restart-web BREACHED")
                .message("{\"runId\": \"restart-web\", \"status\": \"BREACHED\"}")
                .messageAttributes(Map.of("runId", MessageAttributeValue.builder().dataType("String")
                        .stringValue("restart-web").build()))).messageId();

        SnsService.Message kept = sns.messages(topic).get(0);
        assertEquals(id, kept.messageId());
        assertEquals("fleetrun: run restart-web BREACHED", kept.subject());
        assertEquals(new SnsService.MessageAttribute("String", "restart-web"), kept.attributes().get("runId"));

        List<String> lines = Files.readAllLines(workDir.resolve("sns/messages.jsonl"));
        assertEquals(1, lines.size());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals(id, line.path("messageId").asText());
        assertEquals(topic, line.path("topicArn").asText());
        assertEquals("2024-05-14T10:20:00Z", line.path("timestamp").asText());
        assertEquals("{\"runId\": \"restart-web\", \"status\": \"BREACHED\"}", line.path("message").asText());
        assertEquals("restart-web", line.path("messageAttributes").path("runId").path("Value").asText());
    }

    @Test
    void publishingToAMissingTopicIsNotFound() {
        var error = assertThrows(NotFoundException.class, () -> client.publish(b -> b
                .topicArn("arn:aws:sns:us-east-1:123456789012:nope").message("hello")));
        assertEquals(404, error.statusCode());
        assertTrue(sns.messages().isEmpty());
    }

    @Test
    void badMessagesAreRefusedAsSnsRefusesThem() {
        String topic = client.createTopic(b -> b.name("alerts")).topicArn();
        assertThrows(InvalidParameterException.class, () -> client.publish(b -> b.topicArn(topic).message("")));
        assertThrows(InvalidParameterException.class, () -> client.publish(b -> b.topicArn(topic).message("x")
                .subject("line\nbreak")));
        assertThrows(InvalidParameterException.class, () -> client.publish(b -> b.topicArn(topic).message("{}")
                .messageStructure("json")));
        assertThrows(InvalidParameterException.class, () -> client.createTopic(b -> b.name("bad name")));
    }

    @Test
    void aThrottledPublishIsThrottledOnce() {
        String topic = client.createTopic(b -> b.name("alerts")).topicArn();
        sns.throttleNext("Publish", 1);
        var error = assertThrows(SnsException.class, () -> client.publish(b -> b.topicArn(topic).message("x")));
        assertEquals("Throttled", error.awsErrorDetails().errorCode());
        client.publish(b -> b.topicArn(topic).message("x"));
        assertEquals(1, sns.messages().size());
    }
}
