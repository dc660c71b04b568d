package dev.fleetrun.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample inputs under {@code events/} have the shapes their sources document, so the handler
 * tests that read them exercise real shapes: SSM status-change events with exactly AWS's keys, the
 * trigger and execution-status events, and run requests whose JSON shape is what the README says.
 * Whether a run request is valid is {@code RunRequestParser}'s call, tested where it lives.
 */
class EventsFixturesTest {

    private static final String OUR_COMMAND = "6d4c2f0e-3b8a-4f21-9a77-1e5b0c9d2a34";
    private static final Set<String> OUR_NODES = Set.of("i-0a1b2c3d4e5f60718", "i-0f9e8d7c6b5a40312");

    private static final Set<String> ENVELOPE = Set.of(
            "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");
    private static final String INVOCATION = "EC2 Command Invocation Status-change Notification";
    private static final String COMMAND = "EC2 Command Status-change Notification";
    private static final Map<String, Set<String>> SSM_DETAIL_KEYS = Map.of(
            INVOCATION, Set.of("command-id", "document-name", "instance-id", "requested-date-time", "status"),
            COMMAND, Set.of("command-id", "document-name", "expire-after", "parameters", "requested-date-time", "status"));
    /** SSM's CommandInvocationStatus and CommandStatus enums. */
    private static final Map<String, Set<String>> SSM_STATUSES = Map.of(
            INVOCATION, Set.of("Pending", "InProgress", "Delayed", "Success", "Cancelled", "TimedOut", "Failed", "Cancelling"),
            COMMAND, Set.of("Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut", "Cancelling"));

    /** The top-level fields of run request version 1 (DESIGN); trigger is added by triggers only. */
    private static final Set<String> RUN_REQUEST_FIELDS = Set.of(
            "name", "targets", "instanceIds", "document", "commands", "maxConcurrency", "maxErrors", "waves",
            "bakeSeconds", "approvalAfterWave", "alarms", "rollback", "timeoutSeconds", "output", "comment", "dryRun", "trigger");

    private static final Pattern EVENT_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    private static final Pattern SSM_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(\\w{8}|\\w{17})|mi-\\w{17}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern README_ROW = Pattern.compile("^\\| `([^`]+\\.json)` \\|(.*)\\|\\s*$", Pattern.MULTILINE);

    static Stream<String> jsonFiles() {
        return files("").stream();
    }

    static Stream<String> ssmEvents() {
        return files("ssm").stream();
    }

    static Stream<String> validInputs() {
        return files("inputs").stream().filter(f -> !isInvalidInput(f));
    }

    @Test
    void eventsHoldOnlyJsonFilesAndTheReadme() throws Exception {
        try (Stream<Path> all = Files.walk(RepoFiles.eventsDir())) {
            List<String> strays = all.filter(Files::isRegularFile).map(this::relative)
                    .filter(f -> !f.endsWith(".json") && !f.equals("README.md")).toList();
            assertEquals(List.of(), strays, "events/ holds *.json fixtures and README.md only");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonFiles")
    void everyFixtureIsOneJsonObject(String file) {
        JsonNode json = RepoFiles.event(file);
        assertTrue(json.isObject(), file + " must hold one JSON object");
    }

    @Test
    void theReadmeListsEveryFixtureAndNoOther() {
        Set<String> listed = readmeRows().keySet();
        Set<String> present = new TreeSet<>(files(""));

        assertEquals(present, new TreeSet<>(listed), "events/README.md must list exactly the files under events/");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ssmEvents")
    void ssmEventsHaveExactlyTheDocumentedKeys(String file) {
        JsonNode event = RepoFiles.event(file);
        String detailType = event.path("detail-type").asText();

        assertEquals(ENVELOPE, fieldNames(event), file + ": EventBridge envelope keys");
        assertEquals("aws.ssm", event.path("source").asText(), file);
        assertTrue(SSM_DETAIL_KEYS.containsKey(detailType), file + ": unknown detail-type '" + detailType + "'");
        assertEquals(SSM_DETAIL_KEYS.get(detailType), fieldNames(event.path("detail")), file + ": detail keys of " + detailType);
        assertTrue(SSM_STATUSES.get(detailType).contains(event.path("detail").path("status").asText()),
                file + ": status must be one of " + SSM_STATUSES.get(detailType));
        assertTrue(UUID.matcher(event.path("id").asText()).matches(), file + ": id is a UUID");
        assertTrue(UUID.matcher(event.path("detail").path("command-id").asText()).matches(), file + ": command-id is a UUID");
        assertTrue(EVENT_TIME.matcher(event.path("time").asText()).matches(), file + ": time has second precision");
        assertTrue(SSM_TIME.matcher(event.path("detail").path("requested-date-time").asText()).matches(),
                file + ": requested-date-time has milliseconds");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ssmEvents")
    void ssmEventResourcesAreTheNodesInstanceArns(String file) {
        JsonNode event = RepoFiles.event(file);
        String prefix = "arn:aws:ec2:" + event.path("region").asText() + ":" + event.path("account").asText() + ":instance/";
        List<String> resources = texts(event.path("resources"));

        assertFalse(resources.isEmpty(), file + ": resources");
        resources.forEach(r -> assertTrue(r.startsWith(prefix) && INSTANCE_ID.matcher(r.substring(prefix.length())).matches(),
                file + ": '" + r + "' is not an instance ARN of the event's region and account"));
        if (event.path("detail-type").asText().equals(INVOCATION)) {
            assertEquals(List.of(prefix + event.path("detail").path("instance-id").asText()), resources,
                    file + ": an invocation event names its node in resources and in detail.instance-id");
        }
    }

    @Test
    void ssmEventsTellOneCommandsStoryPlusForeignCommands() {
        Set<String> seen = new HashSet<>();
        for (String file : files("ssm")) {
            JsonNode event = RepoFiles.event(file);
            JsonNode detail = event.path("detail");
            String kind = event.path("detail-type").asText().equals(INVOCATION) ? "invocation " : "command ";
            if (file.contains("foreign")) {
                assertNotEquals(OUR_COMMAND, detail.path("command-id").asText(), file + ": a foreign command has its own id");
                seen.add("foreign");
            } else {
                assertEquals(OUR_COMMAND, detail.path("command-id").asText(), file + ": our events share one command id");
                assertEquals("AWS-RunShellScript", detail.path("document-name").asText(), file);
                seen.add(kind + detail.path("status").asText());
            }
            if (detail.has("instance-id")) {
                assertTrue(OUR_NODES.contains(detail.path("instance-id").asText()), file + ": instance-id is one of " + OUR_NODES);
            }
        }
        assertTrue(seen.containsAll(Set.of("invocation Success", "invocation Failed", "invocation TimedOut",
                "invocation Cancelled", "invocation InProgress", "command Success", "command Failed", "foreign")),
                "events/ssm must cover these cases; it covers " + new TreeSet<>(seen));
    }

    @Test
    void theScheduledEventIsAnEventBridgeScheduleFiring() {
        JsonNode event = RepoFiles.event("triggers/scheduled-event.json");

        assertEquals(ENVELOPE, fieldNames(event));
        assertEquals("Scheduled Event", event.path("detail-type").asText());
        assertEquals("aws.events", event.path("source").asText());
        assertTrue(event.path("detail").isObject() && event.path("detail").isEmpty(), "a schedule's detail is {}");
        assertTrue(texts(event.path("resources")).getFirst().startsWith("arn:aws:events:us-east-1:123456789012:rule/"));
    }

    @Test
    void theAlarmEventGoesToAlarmAndNamesAnInstance() {
        JsonNode event = RepoFiles.event("triggers/alarm-state-change.json");
        JsonNode detail = event.path("detail");

        assertEquals(ENVELOPE, fieldNames(event));
        assertEquals("CloudWatch Alarm State Change", event.path("detail-type").asText());
        assertEquals("aws.cloudwatch", event.path("source").asText());
        assertEquals("ALARM", detail.path("state").path("value").asText());
        assertEquals("OK", detail.path("previousState").path("value").asText());
        assertEquals(List.of("arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + detail.path("alarmName").asText()),
                texts(event.path("resources")));
        String instance = detail.path("configuration").path("metrics").path(0)
                .path("metricStat").path("metric").path("dimensions").path("InstanceId").asText();
        assertTrue(OUR_NODES.contains(instance), "the alarm's InstanceId dimension names one of our nodes, not '" + instance + "'");
    }

    @Test
    void theExecutionStatusEventsCoverAbortedAndFailed() {
        Set<String> statuses = new HashSet<>();
        for (String file : files("sfn")) {
            JsonNode event = RepoFiles.event(file);
            JsonNode detail = event.path("detail");
            String executionArn = detail.path("executionArn").asText();

            assertEquals(ENVELOPE, fieldNames(event), file);
            assertEquals("Step Functions Execution Status Change", event.path("detail-type").asText(), file);
            assertEquals("aws.states", event.path("source").asText(), file);
            assertEquals(List.of(executionArn), texts(event.path("resources")), file);
            assertTrue(executionArn.endsWith(":" + detail.path("name").asText()), file + ": the name ends the execution ARN");
            assertTrue(RepoFiles.parseJson(detail.path("input").asText()).isObject(), file + ": input is the run request, as a string");
            statuses.add(detail.path("status").asText());
        }
        assertEquals(Set.of("ABORTED", "FAILED"), statuses);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputs")
    void validRunRequestsNameOneTargetFormAndOneCommandForm(String file) {
        JsonNode request = RepoFiles.event(file);
        Set<String> fields = fieldNames(request);

        Set<String> unknown = new TreeSet<>(fields);
        unknown.removeAll(RUN_REQUEST_FIELDS);
        assertEquals(Set.of(), unknown, file + ": fields outside run request v1");
        assertTrue(request.has("targets") ^ request.has("instanceIds"), file + ": exactly one of targets / instanceIds");
        assertTrue(request.has("commands") ^ request.has("document"), file + ": exactly one of commands / document");
        texts(request.path("instanceIds")).forEach(id ->
                assertTrue(INSTANCE_ID.matcher(id).matches(), file + ": '" + id + "' is not a managed node id"));
    }

    @Test
    void theValidRunRequestsShowWhatTheirNamesSay() {
        assertEquals(Set.of("targets", "commands"), fieldNames(RepoFiles.event("inputs/minimal.json")));

        Set<String> everyOtherField = new TreeSet<>(RUN_REQUEST_FIELDS);
        everyOtherField.removeAll(Set.of("instanceIds", "commands", "trigger"));
        assertEquals(everyOtherField, new TreeSet<>(fieldNames(RepoFiles.event("inputs/full.json"))),
                "full.json has every field but the excluded alternatives (instanceIds, commands) and trigger");

        assertTrue(RepoFiles.event("inputs/dry-run.json").path("dryRun").asBoolean(false));
        assertEquals("[1,\"25%\",\"100%\"]", RepoFiles.event("inputs/explicit-waves.json").path("waves").toString());
        assertTrue(RepoFiles.event("inputs/rollback.json").path("rollback").isObject());
    }

    @Test
    void everyInvalidRunRequestSaysInTheReadmeWhatMakesItInvalid() {
        Map<String, String> rows = readmeRows();
        List<String> invalid = files("inputs").stream().filter(EventsFixturesTest::isInvalidInput).toList();

        assertTrue(invalid.size() >= 8, "expected the eight invalid cases of the README, found " + invalid);
        for (String file : invalid) {
            String[] cells = rows.getOrDefault(file, "").split("\\|");
            assertTrue(cells.length >= 2 && !cells[1].isBlank(),
                    "events/README.md must say which field makes " + file + " invalid (third column)");
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /** JSON files under events/{@code dir}, as paths relative to events/, sorted. */
    private static List<String> files(String dir) {
        Path base = RepoFiles.eventsDir();
        return RepoFiles.filesEndingWith(base.resolve(dir), ".json").stream()
                .map(p -> base.relativize(p).toString().replace('\\', '/')).toList();
    }

    private String relative(Path file) {
        return RepoFiles.eventsDir().relativize(file).toString().replace('\\', '/');
    }

    private static boolean isInvalidInput(String file) {
        return Path.of(file).getFileName().toString().startsWith("invalid-");
    }

    /** README table rows: file → the cells after the file name. */
    private static Map<String, String> readmeRows() {
        String readme = RepoFiles.readString(RepoFiles.eventsDir().resolve("README.md"));
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = README_ROW.matcher(readme);
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        return rows;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
