package dev.fleetrun.testing;

import dev.fleetrun.local.testing.MutableClock;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.testing.RawHttp;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.WireTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.ThrottledException;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilter;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.DuplicateInstanceIdException;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.InvalidFilterKeyException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvalidNextTokenException;
import software.amazon.awssdk.services.ssm.model.InvalidParametersException;
import software.amazon.awssdk.services.ssm.model.InvalidPluginNameException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsResponse;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Target;
import software.amazon.awssdk.services.ssm.model.ThrottlingException;
import software.amazon.awssdk.services.ssm.model.ValidationException;

/**
 * FakeAws answers the real AWS SDK clients (2.41, url-connection) the way AWS does: every
 * operation fleetrun's handlers call, its validation errors mapped to the SDK's exception classes,
 * pagination, scripted outcomes, faults and the recorded requests.
 */
class FakeAwsComponentTest {
    private static final Instant START = Instant.parse("2024-05-14T10:00:00.123Z");
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:fleetrun-alerts";

    private final MutableClock clock = new MutableClock(START);
    private FakeAws fake;
    /** No retries: every error the fake answers reaches the test. */
    private FakeAwsClients aws;

    @BeforeEach
    void start() {
        fake = FakeAws.start(clock);
        aws = fake.clients(1);
    }

    @AfterEach
    void stop() {
        aws.close();
        fake.close();
    }

    private static String node(int n) {
        return String.format("i-%017x", n);
    }

    /** Registers Linux nodes 1..count, Online, tagged Role=web. */
    private List<String> fleet(int count) {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            fake.ssm().addNode(node(n), "Linux", "Online", Map.of("Role", "web"));
            ids.add(node(n));
        }
        return ids;
    }

    private Command send(List<String> instanceIds, Consumer<SendCommandRequest.Builder> more) {
        SendCommandRequest.Builder request = SendCommandRequest.builder()
                .documentName("AWS-RunShellScript")
                .instanceIds(instanceIds)
                .parameters(Map.of("commands", List.of("uptime")));
        more.accept(request);
        return aws.ssm().sendCommand(request.build()).command();
    }

    private Command send(List<String> instanceIds) {
        return send(instanceIds, request -> { });
    }

    private static InstanceInformationStringFilter filter(String key, String... values) {
        return InstanceInformationStringFilter.builder().key(key).values(values).build();
    }

    private static CommandFilter commandFilter(CommandFilterKey key, String value) {
        return CommandFilter.builder().key(key).value(value).build();
    }

    private Command listed(String commandId) {
        return aws.ssm().listCommands(r -> r.commandId(commandId)).commands().get(0);
    }

    @Nested
    class SsmSendCommand {

        @Test
        void answersPendingWithAFreshIdAndExpiryAfterDeliveryPlusExecutionTimeout() {
            List<String> ids = fleet(2);

            Command command = send(ids, r -> r.timeoutSeconds(600).comment("run-42")
                    .parameters(Map.of("commands", List.of("uptime"), "executionTimeout", List.of("3600"))));

            assertTrue(command.commandId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
            assertEquals(CommandStatus.PENDING, command.status());
            assertEquals("Pending", command.statusDetails());
            assertEquals(START, command.requestedDateTime());
            assertEquals(START.plusSeconds(600 + 3600), command.expiresAfter());
            assertEquals("run-42", command.comment());
            assertEquals(2, command.targetCount());
            assertEquals("50", command.maxConcurrency());
            assertEquals("0", command.maxErrors());
            assertNotEquals(command.commandId(), send(ids).commandId());
        }

        @Test
        void defaultsToAnHourOfDeliveryAndAnHourOfExecution() {
            Command command = send(fleet(1));

            assertEquals(3600, command.timeoutSeconds());
            assertEquals(START.plusSeconds(7200), command.expiresAfter());
        }

        @Test
        void createsOnePendingInvocationPerNode() {
            List<String> ids = fleet(3);
            Command command = send(ids);

            List<CommandInvocation> invocations =
                    aws.ssm().listCommandInvocations(r -> r.commandId(command.commandId())).commandInvocations();

            assertEquals(ids, invocations.stream().map(CommandInvocation::instanceId).toList());
            assertTrue(invocations.stream().allMatch(i -> i.status() == CommandInvocationStatus.PENDING));
        }

        @Test
        void rejectsMissingDocumentNameAsValidationException() {
            List<String> ids = fleet(1);

            var error = assertThrows(ValidationException.class, () -> aws.ssm().sendCommand(r -> r.instanceIds(ids)));

            assertTrue(error.getMessage().contains("'documentName' failed to satisfy constraint"), error.getMessage());
        }

        @Test
        void rejectsNoneOrMoreThanFiftyInstanceIds() {
            List<String> ids = fleet(51);

            assertThrows(ValidationException.class, () -> send(ids));
            assertThrows(ValidationException.class, () -> send(List.of()));
            assertTrue(fake.ssm().commands().isEmpty());
        }

        @Test
        void acceptsExactlyFiftyInstanceIds() {
            assertEquals(50, send(fleet(50)).targetCount());
        }

        @Test
        void rejectsADuplicateInstanceId() {
            List<String> ids = fleet(2);

            assertThrows(DuplicateInstanceIdException.class, () -> send(List.of(ids.get(0), ids.get(1), ids.get(0))));
        }

        @Test
        void rejectsMalformedAndUnregisteredInstanceIds() {
            fleet(1);

            assertThrows(ValidationException.class, () -> send(List.of("i-123")));
            var error = assertThrows(InvalidInstanceIdException.class, () -> send(List.of(node(99))));
            assertTrue(error.getMessage().contains(node(99)), error.getMessage());
        }

        @Test
        void rejectsACommentOverOneHundredCharacters() {
            List<String> ids = fleet(1);

            assertEquals(100, send(ids, r -> r.comment("x".repeat(100))).comment().length());
            assertThrows(ValidationException.class, () -> send(ids, r -> r.comment("x".repeat(101))));
        }

        @Test
        void rejectsMaxConcurrencyAndMaxErrorsOutsideTheirPatterns() {
            List<String> ids = fleet(1);

            for (String bad : List.of("0", "0%", "101%", "-1", "abc")) {
                assertThrows(ValidationException.class, () -> send(ids, r -> r.maxConcurrency(bad)), bad);
            }
            for (String bad : List.of("-1", "101%", "1.5", "")) {
                assertThrows(ValidationException.class, () -> send(ids, r -> r.maxErrors(bad)), bad);
            }
            Command accepted = send(ids, r -> r.maxConcurrency("25%").maxErrors("0%"));
            assertEquals("25%", accepted.maxConcurrency());
            assertEquals("0%", accepted.maxErrors());
        }

        @Test
        void rejectsAnUnknownDocumentAndParametersTheDocumentDoesNotTake() {
            List<String> ids = fleet(1);

            assertThrows(InvalidDocumentException.class, () -> send(ids, r -> r.documentName("MyOrg-Unknown")));
            assertThrows(InvalidParametersException.class,
                    () -> send(ids, r -> r.parameters(Map.of("commands", List.of("x"), "color", List.of("red")))));
            assertThrows(InvalidParametersException.class, () -> send(ids, r -> r.parameters(Map.of())));
            assertThrows(InvalidParametersException.class, () -> send(ids,
                    r -> r.parameters(Map.of("commands", List.of("x"), "executionTimeout", List.of("172801")))));
            fake.ssm().addDocument("MyOrg-Deploy", "deploy");
            assertEquals("MyOrg-Deploy", send(ids, r -> r.documentName("MyOrg-Deploy")
                    .parameters(Map.of("version", List.of("2")))).documentName());
        }

        @Test
        void refusesTargetsWithAnAnswerThatSaysSo() {
            fleet(1);

            var error = assertThrows(SsmException.class, () -> aws.ssm().sendCommand(r -> r
                    .documentName("AWS-RunShellScript").targets(Target.builder().key("tag:Role").values("web").build())
                    .parameters(Map.of("commands", List.of("uptime")))));

            assertEquals(AwsError.NOT_IMPLEMENTED, error.awsErrorDetails().errorCode());
        }
    }

    @Nested
    class SsmInvocations {

        @Test
        void reportsACompletedInvocationThroughGetCommandInvocation() {
            List<String> ids = fleet(2);
            Command command = send(ids);
            clock.advance(Duration.ofSeconds(5));

            fake.ssm().complete(command.commandId(), ids.get(0), "Failed", "Failed", 2, "partial", "disk full");

            GetCommandInvocationResponse invocation =
                    aws.ssm().getCommandInvocation(r -> r.commandId(command.commandId()).instanceId(ids.get(0)));
            assertEquals(CommandInvocationStatus.FAILED, invocation.status());
            assertEquals("Failed", invocation.statusDetails());
            assertEquals(2, invocation.responseCode());
            assertEquals("partial", invocation.standardOutputContent());
            assertEquals("disk full", invocation.standardErrorContent());
            assertEquals("aws:runShellScript", invocation.pluginName());
            assertEquals("2024-05-14T10:00:05.123Z", invocation.executionEndDateTime());
        }

        @Test
        void reportsAPendingInvocationWithoutExitCodeOrTimes() {
            List<String> ids = fleet(1);
            Command command = send(ids);

            GetCommandInvocationResponse invocation =
                    aws.ssm().getCommandInvocation(r -> r.commandId(command.commandId()).instanceId(ids.get(0)));

            assertEquals(CommandInvocationStatus.PENDING, invocation.status());
            assertEquals(-1, invocation.responseCode());
            assertEquals("", invocation.executionStartDateTime());
            assertEquals("", invocation.standardOutputContent());
        }

        @Test
        void truncatesStandardOutputAtTwentyFourThousandCharacters() {
            List<String> ids = fleet(1);
            Command command = send(ids);
            fake.ssm().complete(command.commandId(), ids.get(0), InvocationOutcome.success("y".repeat(30000)));

            String output = aws.ssm().getCommandInvocation(r -> r.commandId(command.commandId())
                    .instanceId(ids.get(0))).standardOutputContent();

            assertEquals(24000, output.length());
            assertTrue(output.endsWith("--output truncated--"));
        }

        @Test
        void raisesInvocationDoesNotExistForAnUnknownCommandOrNode() {
            List<String> ids = fleet(2);
            Command command = send(List.of(ids.get(0)));

            assertThrows(InvocationDoesNotExistException.class, () -> aws.ssm().getCommandInvocation(
                    r -> r.commandId(command.commandId()).instanceId(ids.get(1))));
            assertThrows(InvocationDoesNotExistException.class, () -> aws.ssm().getCommandInvocation(
                    r -> r.commandId("00000000-0000-0000-0000-000000000000").instanceId(ids.get(0))));
        }

        @Test
        void rejectsAPluginNameTheDocumentDoesNotHave() {
            List<String> ids = fleet(1);
            Command command = send(ids);

            assertThrows(InvalidPluginNameException.class, () -> aws.ssm().getCommandInvocation(
                    r -> r.commandId(command.commandId()).instanceId(ids.get(0)).pluginName("other")));
        }

        @Test
        void onSendPolicyCompletesInvocationsWhileSendCommandStillAnswersPending() {
            List<String> ids = fleet(3);
            fake.ssm().onSend(cmd -> cmd.instanceIds().forEach(id -> cmd.complete(id,
                    id.equals(ids.get(2)) ? InvocationOutcome.failed(1, "boom") : InvocationOutcome.success("ok"))));

            Command sent = send(ids, r -> r.maxErrors("1"));

            assertEquals(CommandStatus.PENDING, sent.status());
            Command now = listed(sent.commandId());
            assertEquals(CommandStatus.FAILED, now.status());
            assertEquals("Incomplete", now.statusDetails());
            assertEquals(3, now.completedCount());
            assertEquals(1, now.errorCount());
            assertEquals("boom", fake.ssm().command(sent.commandId()).invocation(ids.get(2)).stderr());
        }

        @Test
        void listCommandsRollsUpStatusAndCountsFromTheInvocations() {
            List<String> ids = fleet(3);
            Command command = send(ids, r -> r.comment("run-7"));
            String id = command.commandId();

            fake.ssm().complete(id, ids.get(0), InvocationOutcome.inProgress());
            assertEquals(CommandStatus.IN_PROGRESS, listed(id).status());

            fake.ssm().complete(id, ids.get(0), InvocationOutcome.success("ok"));
            fake.ssm().complete(id, ids.get(1), InvocationOutcome.undeliverable());
            fake.ssm().complete(id, ids.get(2), InvocationOutcome.deliveryTimedOut());
            Command done = listed(id);
            assertEquals("run-7", done.comment());
            assertEquals(3, done.completedCount());
            assertEquals(0, done.errorCount());
            assertEquals(1, done.deliveryTimedOutCount());
            assertEquals(CommandStatus.FAILED, done.status());
            assertEquals("Incomplete", done.statusDetails());
        }

        @Test
        void oneFailureBeyondMaxErrorsFailsTheCommand() {
            List<String> ids = fleet(2);
            Command command = send(ids);
            fake.ssm().complete(command.commandId(), ids.get(0), InvocationOutcome.success(""));
            fake.ssm().complete(command.commandId(), ids.get(1), InvocationOutcome.executionTimedOut());

            Command done = listed(command.commandId());

            assertEquals(CommandStatus.FAILED, done.status());
            assertEquals("Failed", done.statusDetails());
            assertEquals(1, done.errorCount());
        }

        @Test
        void aCommandSucceedsWhenEveryReachableNodeSucceeded() {
            List<String> ids = fleet(2);
            Command command = send(ids);
            fake.ssm().complete(command.commandId(), ids.get(0), InvocationOutcome.success(""));
            fake.ssm().complete(command.commandId(), ids.get(1), InvocationOutcome.undeliverable());

            assertEquals(CommandStatus.SUCCESS, listed(command.commandId()).status());
        }

        @Test
        void listCommandInvocationsPaginatesWithNextToken() {
            List<String> ids = fleet(7);
            String commandId = send(ids).commandId();

            ListCommandInvocationsResponse first =
                    aws.ssm().listCommandInvocations(r -> r.commandId(commandId).maxResults(3));
            ListCommandInvocationsResponse second = aws.ssm().listCommandInvocations(
                    r -> r.commandId(commandId).maxResults(3).nextToken(first.nextToken()));
            ListCommandInvocationsResponse third = aws.ssm().listCommandInvocations(
                    r -> r.commandId(commandId).maxResults(3).nextToken(second.nextToken()));

            assertEquals(List.of(3, 3, 1), List.of(first.commandInvocations().size(),
                    second.commandInvocations().size(), third.commandInvocations().size()));
            assertNull(third.nextToken());
            List<String> all = new ArrayList<>();
            aws.ssm().listCommandInvocationsPaginator(r -> r.commandId(commandId).maxResults(2))
                    .commandInvocations().forEach(i -> all.add(i.instanceId()));
            assertEquals(ids, all);
        }

        @Test
        void rejectsANextTokenItDidNotIssue() {
            String commandId = send(fleet(1)).commandId();

            assertThrows(InvalidNextTokenException.class, () -> aws.ssm().listCommandInvocations(
                    r -> r.commandId(commandId).nextToken("not-a-token")));
        }

        @Test
        void listsPluginDetailsOnlyWhenAsked() {
            List<String> ids = fleet(1);
            String commandId = send(ids, r -> r.outputS3BucketName("ops-output").outputS3KeyPrefix("fleetrun"))
                    .commandId();
            fake.ssm().complete(commandId, ids.get(0), InvocationOutcome.failed(3, "bad"));

            CommandInvocation plain =
                    aws.ssm().listCommandInvocations(r -> r.commandId(commandId)).commandInvocations().get(0);
            CommandInvocation detailed = aws.ssm().listCommandInvocations(r -> r.commandId(commandId).details(true))
                    .commandInvocations().get(0);

            assertTrue(plain.commandPlugins().isEmpty());
            assertEquals(1, detailed.commandPlugins().size());
            assertEquals("aws:runShellScript", detailed.commandPlugins().get(0).name());
            assertEquals(3, detailed.commandPlugins().get(0).responseCode());
            assertTrue(detailed.commandPlugins().get(0).output().contains("bad"));
            assertEquals("https://s3.us-east-1.amazonaws.com/ops-output/fleetrun/" + commandId + "/" + ids.get(0)
                    + "/awsrunShellScript/0.awsrunShellScript/stdout", plain.standardOutputUrl());
        }

        @Test
        void listCommandInvocationsByInstanceSpansCommandsNewestFirst() {
            List<String> ids = fleet(2);
            String older = send(ids).commandId();
            String newer = send(List.of(ids.get(0))).commandId();

            List<String> commands = aws.ssm().listCommandInvocations(r -> r.instanceId(ids.get(0)))
                    .commandInvocations().stream().map(CommandInvocation::commandId).toList();

            assertEquals(List.of(newer, older), commands);
        }

        @Test
        void listCommandsFiltersByInvokedAfter() {
            List<String> ids = fleet(1);
            String before = send(ids).commandId();
            clock.advance(Duration.ofMinutes(10));
            String after = send(ids).commandId();

            List<String> listed = aws.ssm().listCommands(r -> r.filters(commandFilter(CommandFilterKey.INVOKED_AFTER, "2024-05-14T10:05:00Z"))).commands().stream().map(Command::commandId).toList();

            assertEquals(List.of(after), listed);
            assertNotEquals(before, after);
        }

        @Test
        void listCommandsRejectsAnUnknownCommandIdAndAnUnknownFilterKey() {
            fleet(1);

            assertThrows(InvalidCommandIdException.class,
                    () -> aws.ssm().listCommands(r -> r.commandId("00000000-0000-0000-0000-000000000000")));
            assertThrows(InvalidFilterKeyException.class, () -> aws.ssm().listCommandInvocations(
                    r -> r.filters(commandFilter(CommandFilterKey.EXECUTION_STAGE, "Complete"))));
        }

        @Test
        void cancelCommandCancelsTheUnfinishedInvocations() {
            List<String> ids = fleet(2);
            String commandId = send(ids).commandId();
            fake.ssm().complete(commandId, ids.get(0), InvocationOutcome.success("done"));

            aws.ssm().cancelCommand(r -> r.commandId(commandId));

            assertEquals(CommandInvocationStatus.SUCCESS, aws.ssm().getCommandInvocation(
                    r -> r.commandId(commandId).instanceId(ids.get(0))).status());
            assertEquals(CommandInvocationStatus.CANCELLED, aws.ssm().getCommandInvocation(
                    r -> r.commandId(commandId).instanceId(ids.get(1))).status());
            assertEquals(CommandStatus.CANCELLED, listed(commandId).status());
            assertThrows(InvalidCommandIdException.class,
                    () -> aws.ssm().cancelCommand(r -> r.commandId("00000000-0000-0000-0000-000000000000")));
        }
    }

    @Nested
    class SsmFleet {

        @BeforeEach
        void mixedFleet() {
            fake.ssm().addNode(node(1), "Linux", "Online", Map.of("Role", "web", "Environment", "production"))
                    .addNode(node(2), "Linux", "ConnectionLost", Map.of("Role", "web"))
                    .addNode(node(3), "Windows", "Online", Map.of("Role", "db"))
                    .addNode(node(4), "Linux", "Online", Map.of("Role", "db", "Environment", "staging"));
        }

        private List<String> describe(String key, String... values) {
            return aws.ssm().describeInstanceInformation(r -> r.filters(filter(key, values)))
                    .instanceInformationList().stream().map(InstanceInformation::instanceId).toList();
        }

        @Test
        void filtersByTagValueTagKeyPingStatusIdsAndPlatform() {
            assertEquals(List.of(node(1), node(2)), describe("tag:Role", "web"));
            assertEquals(List.of(node(1), node(4)), describe("tag-key", "Environment"));
            assertEquals(List.of(node(2)), describe("PingStatus", "ConnectionLost"));
            assertEquals(List.of(node(3), node(4)), describe("InstanceIds", node(3), node(4), node(9)));
            assertEquals(List.of(node(3)), describe("PlatformTypes", "Windows"));
        }

        @Test
        void combinesFiltersWithAnd() {
            List<String> ids = aws.ssm().describeInstanceInformation(r -> r.filters(
                    filter("PingStatus", "Online"), filter("PlatformTypes", "Linux")))
                    .instanceInformationList().stream().map(InstanceInformation::instanceId).toList();

            assertEquals(List.of(node(1), node(4)), ids);
        }

        @Test
        void reportsPingStatusAndPlatformOfEachNode() {
            InstanceInformation info = aws.ssm().describeInstanceInformation(
                    r -> r.filters(filter("InstanceIds", node(2)))).instanceInformationList().get(0);

            assertEquals(PingStatus.CONNECTION_LOST, info.pingStatus());
            assertEquals("Linux", info.platformTypeAsString());
            assertEquals("EC2Instance", info.resourceTypeAsString());
        }

        @Test
        void refusesTagFiltersCombinedWithOtherFilters() {
            assertThrows(InvalidFilterKeyException.class, () -> aws.ssm().describeInstanceInformation(r -> r.filters(
                    filter("tag:Role", "web"), filter("PingStatus", "Online"))));
        }

        @Test
        void paginatesWithMaxResultsFromFiveToFifty() {
            for (int n = 5; n <= 12; n++) {
                fake.ssm().addNode(node(n), "Linux", "Online", Map.of());
            }

            var first = aws.ssm().describeInstanceInformation(r -> r.maxResults(5));
            List<String> all = new ArrayList<>();
            aws.ssm().describeInstanceInformationPaginator(r -> r.maxResults(5))
                    .instanceInformationList().forEach(i -> all.add(i.instanceId()));

            assertEquals(5, first.instanceInformationList().size());
            assertEquals(IntStream.rangeClosed(1, 12).mapToObj(FakeAwsComponentTest::node).toList(), all);
            assertThrows(ValidationException.class, () -> aws.ssm().describeInstanceInformation(r -> r.maxResults(4)));
        }

        @Test
        void followsPingStatusChangesAndDeregistration() {
            fake.ssm().setPingStatus(node(1), "ConnectionLost").removeNode(node(2));

            assertEquals(List.of(node(1)), describe("PingStatus", "ConnectionLost"));
            assertThrows(InvalidInstanceIdException.class, () -> send(List.of(node(2))));
        }
    }

    @Nested
    class SsmEventsAndFaults {

        @Test
        void invocationEventHasTheShapeOfSsmsExample() throws IOException {
            List<String> ids = fleet(1);
            String commandId = send(ids).commandId();
            fake.ssm().complete(commandId, ids.get(0), InvocationOutcome.success("ok"));

            JsonNode event = WireTree.JSON.readTree(fake.ssm().invocationEvent(commandId, ids.get(0)));

            JsonNode example = referenceExample("EC2 Command Invocation Status-change Notification");
            assertEquals(fieldNames(example), fieldNames(event));
            assertEquals(fieldNames(example.get("detail")), fieldNames(event.get("detail")));
            assertEquals("aws.ssm", event.get("source").asText());
            assertEquals("arn:aws:ec2:us-east-1:123456789012:instance/" + ids.get(0),
                    event.get("resources").get(0).asText());
            assertEquals(commandId, event.at("/detail/command-id").asText());
            assertEquals("Success", event.at("/detail/status").asText());
            assertEquals("2024-05-14T10:00:00.123Z", event.at("/detail/requested-date-time").asText());
            assertEquals("2024-05-14T10:00:00Z", event.get("time").asText());
        }

        @Test
        void commandEventHasTheShapeOfSsmsExample() throws IOException {
            List<String> ids = fleet(2);
            String commandId = send(ids).commandId();

            JsonNode event = WireTree.JSON.readTree(fake.ssm().commandEvent(commandId));

            JsonNode example = referenceExample("EC2 Command Status-change Notification");
            assertEquals(fieldNames(example.get("detail")), fieldNames(event.get("detail")));
            assertEquals(2, event.get("resources").size());
            assertEquals("Pending", event.at("/detail/status").asText());
            assertEquals("uptime", event.at("/detail/parameters/commands/0").asText());
            assertEquals("2024-05-14T12:00:00.123Z", event.at("/detail/expire-after").asText());
        }

        @Test
        void throttledCallsRaiseThrottlingExceptionWithRateExceeded() {
            List<String> ids = fleet(1);
            fake.ssm().throttleNext("SendCommand", 1);

            var error = assertThrows(ThrottlingException.class, () -> send(ids));

            assertTrue(error.isThrottlingException());
            assertEquals("Rate exceeded", error.awsErrorDetails().errorMessage());
            assertEquals(1, send(ids).targetCount());
        }

        @Test
        void theSdksDefaultRetriesGetPastAThrottle() {
            fake.ssm().throttleNext("ListCommands", 1);

            try (FakeAwsClients retrying = fake.clients()) {
                retrying.ssm().listCommands(r -> { });
            }

            List<RecordedRequest> attempts = fake.requests("ListCommands");
            assertEquals(List.of(400, 200), attempts.stream().map(RecordedRequest::status).toList());
            assertEquals("ThrottlingException", attempts.get(0).errorCode());
            assertTrue(attempts.get(1).succeeded());
        }

        @Test
        void anOperationTheFakeDoesNotImplementIsNamedInUnknownOperationException() {
            var error = assertThrows(SsmException.class, () -> aws.ssm().describeDocument(r -> r.name("x")));

            assertEquals("UnknownOperationException", error.awsErrorDetails().errorCode());
            assertTrue(error.getMessage().contains("DescribeDocument"), error.getMessage());
        }

        @Test
        void recordsEveryRequestWithItsDecodedMembers() {
            List<String> ids = fleet(1);
            send(ids, r -> r.comment("recorded"));

            RecordedRequest request = fake.requests("SendCommand").get(0);

            assertEquals("ssm", request.service());
            assertEquals("recorded", request.input().get("Comment").asText());
            assertEquals(ids.get(0), request.input().get("InstanceIds").get(0).asText());
            assertEquals("AmazonSSM.SendCommand", request.header("x-amz-target"));
        }

        private JsonNode referenceExample(String detailType) throws IOException {
            try (InputStream in = getClass().getResourceAsStream("ssm-events-examples.json")) {
                for (JsonNode example : WireTree.JSON.readTree(in)) {
                    if (example.get("detail-type").asText().equals(detailType)) {
                        return example;
                    }
                }
            }
            throw new AssertionError("no reference example for " + detailType);
        }

        private Set<String> fieldNames(JsonNode node) {
            Set<String> names = new HashSet<>();
            node.fieldNames().forEachRemaining(names::add);
            names.remove("_source");
            return names;
        }
    }

    @Nested
    class StepFunctions {

        @Test
        void recordsTaskSuccessAndTimesOutASecondOneOnTheSameToken() {
            aws.sfn().sendTaskSuccess(r -> r.taskToken("token-1").output("{\"wave\":1}"));

            assertThrows(TaskTimedOutException.class,
                    () -> aws.sfn().sendTaskSuccess(r -> r.taskToken("token-1").output("{}")));
            assertEquals(1, fake.sfn().successes().size());
            assertEquals("token-1", fake.sfn().successes().get(0).taskToken());
            assertEquals(1, fake.sfn().successes().get(0).outputJson().get("wave").asInt());
        }

        @Test
        void recordsTaskFailureAndHeartbeats() {
            aws.sfn().sendTaskHeartbeat(r -> r.taskToken("token-2"));
            aws.sfn().sendTaskFailure(r -> r.taskToken("token-2").error("Fleetrun.SendFailed").cause("throttled"));

            assertEquals(List.of("token-2"), fake.sfn().heartbeats());
            assertEquals(new FakeStepFunctions.TaskFailure("token-2", "Fleetrun.SendFailed", "throttled"),
                    fake.sfn().failures().get(0));
            assertThrows(TaskTimedOutException.class, () -> aws.sfn().sendTaskHeartbeat(r -> r.taskToken("token-2")));
        }

        @Test
        void aClosedTokenAnswersTaskTimedOut() {
            fake.sfn().closeToken("token-3");

            assertThrows(TaskTimedOutException.class,
                    () -> aws.sfn().sendTaskSuccess(r -> r.taskToken("token-3").output("{}")));
            assertTrue(fake.sfn().successes().isEmpty());
        }

        @Test
        void rejectsOutputThatIsNotJson() {
            assertThrows(InvalidOutputException.class,
                    () -> aws.sfn().sendTaskSuccess(r -> r.taskToken("token-4").output("{not json")));
            assertFalse(fake.sfn().isClosed("token-4"));
        }
    }

    @Nested
    class EventBridge {

        @Test
        void recordsAcceptedEntriesAndAnswersEventIds() {
            PutEventsResponse response = aws.events().putEvents(r -> r.entries(
                    PutEventsRequestEntry.builder().source("fleetrun").detailType("Fleetrun Run Started")
                            .detail("{\"runId\":\"r-1\"}").build()));

            assertEquals(0, response.failedEntryCount());
            var recorded = fake.events().entries("Fleetrun Run Started").get(0);
            assertEquals(response.entries().get(0).eventId(), recorded.eventId());
            assertEquals("default", recorded.eventBusName());
            assertEquals("r-1", recorded.detail().get("runId").asText());
        }

        @Test
        void refusesAMalformedEntryAloneAndAcceptsTheOthers() {
            PutEventsResponse response = aws.events().putEvents(r -> r.entries(
                    PutEventsRequestEntry.builder().source("fleetrun").detailType("A").detail("[1]").build(),
                    PutEventsRequestEntry.builder().source("fleetrun").detailType("B").detail("{}").build(),
                    PutEventsRequestEntry.builder().detailType("C").detail("{}").build()));

            assertEquals(2, response.failedEntryCount());
            assertEquals("MalformedDetail", response.entries().get(0).errorCode());
            assertEquals("InvalidArgument", response.entries().get(2).errorCode());
            assertEquals(List.of("B"), fake.events().entries().stream().map(e -> e.detailType()).toList());
        }

        @Test
        void refusesMoreThanTenEntries() {
            var entries = IntStream.range(0, 11).mapToObj(n -> PutEventsRequestEntry.builder().source("fleetrun")
                    .detailType("T").detail("{}").build()).toList();

            var error = assertThrows(EventBridgeException.class, () -> aws.events().putEvents(r -> r.entries(entries)));

            assertEquals("ValidationException", error.awsErrorDetails().errorCode());
        }
    }

    @Nested
    class Sns {

        @Test
        void recordsPublishedMessages() {
            PublishResponse response = aws.sns().publish(r -> r.topicArn(TOPIC).subject("fleetrun: run breached")
                    .message("3 of 10 nodes failed & rollback started"));

            var published = fake.sns().published().get(0);
            assertEquals(response.messageId(), published.messageId());
            assertEquals(TOPIC, published.topicArn());
            assertEquals("fleetrun: run breached", published.subject());
            assertEquals("3 of 10 nodes failed & rollback started", published.message());
        }

        @Test
        void rejectsAnEmptyMessageABadTopicAndABadSubject() {
            assertThrows(InvalidParameterException.class, () -> aws.sns().publish(r -> r.topicArn(TOPIC).message("")));
            assertThrows(InvalidParameterException.class, () -> aws.sns().publish(r -> r.topicArn("alerts").message("m")));
            assertThrows(InvalidParameterException.class,
                    () -> aws.sns().publish(r -> r.topicArn(TOPIC).subject("two\nlines").message("m")));
            assertTrue(fake.sns().published().isEmpty());
        }

        @Test
        void throttlesWithThrottled() {
            fake.sns().throttleNext("Publish", 1);

            var error = assertThrows(ThrottledException.class, () -> aws.sns().publish(r -> r.topicArn(TOPIC).message("m")));

            assertEquals("Rate exceeded", error.awsErrorDetails().errorMessage());
        }
    }

    @Nested
    class CloudWatch {

        @Test
        void describesAlarmsWithTheScriptedState() {
            fake.cloudWatch().setAlarm("web-5xx-high", "ALARM").setAlarm("web-latency", "OK");

            List<MetricAlarm> alarms = aws.cloudWatch().describeAlarms(r -> r.alarmNames("web-5xx-high", "missing"))
                    .metricAlarms();

            assertEquals(1, alarms.size());
            assertEquals("web-5xx-high", alarms.get(0).alarmName());
            assertEquals(StateValue.ALARM, alarms.get(0).stateValue());
            assertEquals(START, alarms.get(0).stateUpdatedTimestamp());
            assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx-high", alarms.get(0).alarmArn());
        }

        @Test
        void filtersByStateAndPrefixAndPaginatesInNameOrder() {
            fake.cloudWatch().setAlarm("web-c", "ALARM").setAlarm("web-a", "ALARM").setAlarm("web-b", "OK")
                    .setAlarm("db-a", "ALARM");

            List<String> alarming = aws.cloudWatch().describeAlarms(r -> r.stateValue(StateValue.ALARM)
                    .alarmNamePrefix("web-")).metricAlarms().stream().map(MetricAlarm::alarmName).toList();
            List<String> paged = new ArrayList<>();
            aws.cloudWatch().describeAlarmsPaginator(r -> r.maxRecords(1)).metricAlarms()
                    .forEach(alarm -> paged.add(alarm.alarmName()));

            assertEquals(List.of("web-a", "web-c"), alarming);
            assertEquals(List.of("db-a", "web-a", "web-b", "web-c"), paged);
            assertEquals(3, fake.requests("DescribeAlarms").stream()
                    .filter(request -> request.input().has("NextToken")).count());
        }

        @Test
        void mapsErrorsToTheSdkExceptionClasses() {
            assertThrows(InvalidParameterCombinationException.class,
                    () -> aws.cloudWatch().describeAlarms(r -> r.alarmNames("a").alarmNamePrefix("b")));
            assertThrows(software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException.class,
                    () -> aws.cloudWatch().describeAlarms(r -> r.nextToken("bogus")));
        }

        @Test
        void recordsTheCborRequestMembers() {
            aws.cloudWatch().describeAlarms(r -> r.alarmNames("web-5xx-high"));

            RecordedRequest request = fake.requests("DescribeAlarms").get(0);
            assertEquals("cloudwatch", request.service());
            assertEquals("web-5xx-high", request.input().get("AlarmNames").get(0).asText());
        }
    }

    @Nested
    class Routing {

        @Test
        void answersAnUnknownTargetPrefixWithUnknownOperationException() throws IOException {
            RawHttp http = fake.rawHttp();
            RawHttp.Answer answer = http.send(http.signed("lambda", "/", Map.of("X-Amz-Target", "AWSLambda.Invoke",
                    "Content-Type", "application/x-amz-json-1.1"), "{}".getBytes(StandardCharsets.UTF_8)));

            assertEquals(400, answer.status(), answer.toString());
            JsonNode body = WireTree.JSON.readTree(answer.body());
            assertEquals("UnknownOperationException", body.get("__type").asText());
            assertTrue(body.get("message").asText().contains("AWSLambda"), body.toString());
            assertEquals("X-Amz-Target prefix 'AWSLambda'", fake.requests().get(0).service());
        }

        @Test
        void servesConcurrentCallersWithoutLosingOrMixingCommands() throws Exception {
            List<String> ids = fleet(1);
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> sent = new ArrayList<>();
                for (int n = 0; n < 40; n++) {
                    sent.add(callers.submit(() -> send(ids).commandId()));
                }
                Set<String> commandIds = new HashSet<>();
                for (Future<String> future : sent) {
                    commandIds.add(future.get());
                }

                assertEquals(40, commandIds.size());
                assertEquals(40, fake.ssm().commands().size());
                assertEquals(40, fake.requests("SendCommand").size());
            } finally {
                callers.shutdownNow();
            }
        }

        @Test
        void aFailingOnSendPolicyAnswers500AndFailsClose() {
            FakeAws broken = FakeAws.start(clock);
            try (FakeAwsClients clients = broken.clients(1)) {
                broken.ssm().addNode(node(1), "Linux", "Online", Map.of());
                broken.ssm().onSend(cmd -> {
                    throw new IllegalStateException("policy bug");
                });

                var error = assertThrows(SsmException.class, () -> clients.ssm().sendCommand(r -> r
                        .documentName("AWS-RunShellScript").instanceIds(node(1))
                        .parameters(Map.of("commands", List.of("uptime")))));

                assertEquals(500, error.statusCode());
            }
            var failure = assertThrows(IllegalStateException.class, broken::close);
            assertEquals("policy bug", failure.getCause().getMessage());
        }
    }
}
