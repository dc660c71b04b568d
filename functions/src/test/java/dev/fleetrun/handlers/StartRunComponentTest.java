package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.Lease;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.testing.FailOnce;
import dev.fleetrun.testing.FakeEventBridge.PutEvent;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * StartRun against DynamoDB Local and the fake SSM fleet: what a valid request records and leases,
 * what each kind of refusal leaves behind (nothing), and how leases keep two runs apart until they expire.
 */
class StartRunComponentTest {
    private static final String NODE_A = "i-0a1b2c3d4e5f60718";
    private static final String NODE_B = "i-0f9e8d7c6b5a40312";

    private final TestServices t = TestServices.start(Map.of("FLEETRUN_LEASE_SECONDS", "600"));
    private final HandlerSteps steps = new HandlerSteps(t);

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void theMinimalRequestStartsARunRecordedLeasedAndAnnounced() {
        t.ssm().addNode(NODE_A, "Linux", "Online", Map.of("Role", "web")).addNode(NODE_B, "Linux", "Online", Map.of("Role", "web"));

        ObjectNode state = steps.start("uptime-1", RepoFiles.event("inputs/minimal.json"));

        assertEquals("STARTED", state.path("outcome").asText(), state::toString);
        assertEquals("uptime-1", state.path("runId").asText());
        assertEquals(2, state.path("waveCount").asInt(), "a canary of 1, then the other node");
        assertEquals(Json.parse("{\"phase\":\"main\",\"wave\":1}"), state.path("cursor"));
        assertEquals(600 + 600 + 120, state.path("waitTimeoutSeconds").asInt(), "delivery window + one round of 600 s + grace");
        assertEquals(300, state.path("heartbeatSeconds").asInt());
        assertFalse(state.path("hasRollback").asBoolean());
        assertFalse(state.has("error"));

        RunView view = t.store().loadRun("uptime-1").orElseThrow();
        RunRecord run = view.run();
        assertEquals(RunStatus.RUNNING, run.status());
        assertEquals("run", run.name());
        assertEquals(2, run.targeted());
        assertEquals(0, run.allowance(), "maxErrors defaults to 0");
        assertEquals(t.execution("uptime-1").path("arn").asText(), run.executionArn());
        assertEquals(RepoFiles.event("inputs/minimal.json"), Json.parse(run.requestJson()));
        JsonNode main = Json.parse(run.documentsJson()).path("main");
        assertEquals("AWS-RunShellScript", main.path("name").asText());
        assertEquals(Json.parse("{\"commands\":[\"uptime\"],\"executionTimeout\":[\"600\"]}"), main.path("parameters"));
        assertEquals(List.of(1, 1), view.waves().stream().map(WaveRecord::size).toList());
        assertEquals(List.of(NODE_A, NODE_B), view.batches().stream().flatMap(b -> b.instanceIds().stream()).toList(),
                "one batch per wave, nodes in id order");
        assertTrue(view.nodes().stream().allMatch(n -> n.status() == NodeStatus.PLANNED), view.nodes()::toString);
        for (String id : List.of(NODE_A, NODE_B)) {
            Lease lease = t.store().leaseHolder(id).orElseThrow(() -> new AssertionError(id + " is not leased"));
            assertEquals("uptime-1", lease.runId());
            assertEquals(TestServices.T0.plusSeconds(600), lease.until(), "FLEETRUN_LEASE_SECONDS");
        }
        List<PutEvent> started = t.aws().events().entries(Notifier.RUN_STARTED);
        assertEquals(1, started.size());
        assertEquals("fleetrun", started.get(0).source());
        assertEquals("uptime-1", started.get(0).detail().path("runId").asText());
        assertEquals(2, started.get(0).detail().path("targeted").asInt());
        assertEquals(2, started.get(0).detail().path("waves").asInt());
        assertTrue(t.aws().requests("SendCommand").isEmpty(), "StartRun sends nothing");
    }

    @Test
    void withoutWavesTheRunStartsWithACanaryAndDoublesUpToMaxConcurrency() {
        List<String> ids = t.addNodes(13, Map.of("Role", "web"));
        ObjectNode request = (ObjectNode) Json.parse("""
                {"name": "doubling", "targets": [{"key": "tag:Role", "values": ["web"]}],
                 "commands": ["uptime"], "maxConcurrency": "4", "maxErrors": "2"}""");

        ObjectNode state = steps.started("doubling-1", request);

        RunView view = t.store().loadRun("doubling-1").orElseThrow();
        assertEquals(5, state.path("waveCount").asInt());
        assertEquals(List.of(1, 2, 4, 4, 2), view.waves().stream().map(WaveRecord::size).toList());
        assertEquals(List.of(1, 2, 4, 4, 2), view.waves().stream().map(WaveRecord::concurrency).toList());
        assertEquals(ids, view.nodes(Phase.MAIN).stream().map(NodeRecord::instanceId).toList(),
                "every node planned once, waves filled in id order");
        assertEquals(List.of(1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5),
                view.nodes(Phase.MAIN).stream().map(NodeRecord::wave).toList());
        assertEquals(2, view.run().allowance());
        assertEquals(4, view.run().concurrency());
        ids.forEach(id -> assertEquals("doubling-1", t.store().leaseHolder(id).orElseThrow().runId()));
    }

    @Test
    void explicitWavesAndTheFullRequestArePlannedAsWritten() {
        List<String> web = t.addNodes(20, Map.of("Environment", "production", "Role", "web"));
        List<String> db = t.addNodes(2, Map.of("Environment", "production", "Role", "db"));
        t.aws().cloudWatch().setAlarm("web-5xx-high", "OK");

        ObjectNode state = steps.started("restart-web-1", RepoFiles.event("inputs/full.json"));

        RunView view = t.store().loadRun("restart-web-1").orElseThrow();
        assertEquals(List.of(1, 2, 10, 7), view.waves().stream().map(WaveRecord::size).toList(),
                "waves [1, 10%, 50%, 100%] of 20 nodes: what is left goes into the last");
        assertEquals(List.of(1, 2, 5, 5), view.waves().stream().map(WaveRecord::concurrency).toList(), "25% of 20 is 5");
        assertEquals(web, view.nodes(Phase.MAIN).stream().map(NodeRecord::instanceId).toList(), "the db nodes do not match");
        assertEquals(1, state.path("approvalAfterWave").asInt());
        assertEquals(300, state.path("bakeSeconds").asInt());
        assertTrue(state.path("hasRollback").asBoolean());
        JsonNode documents = Json.parse(view.run().documentsJson());
        assertEquals("[\"/opt/app/rollback.sh\"]", documents.path("rollback").path("parameters").path("commands").toString());
        assertEquals(2, view.run().allowance());
        db.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(), id + " is not the run's"));

        List<String> staging = t.addNodes(12, Map.of("Environment", "staging"));
        steps.started("patch-staging-1", RepoFiles.event("inputs/explicit-waves.json"));
        RunView patch = t.store().loadRun("patch-staging-1").orElseThrow();
        assertEquals(List.of(1, 3, 8), patch.waves().stream().map(WaveRecord::size).toList(), "waves [1, 25%, 100%] of 12");
        assertEquals(1, patch.run().allowance(), "10% of 12 nodes allows 1 error");
        assertEquals(staging, patch.nodes(Phase.MAIN).stream().map(NodeRecord::instanceId).toList());
    }

    static Stream<Arguments> invalidSamples() {
        return Stream.of(
                Arguments.of("invalid-targets-and-instance-ids.json", List.of("targets", "instanceIds")),
                Arguments.of("invalid-unknown-field.json", List.of("maxConcurency")),
                Arguments.of("invalid-max-errors-101-percent.json", List.of("maxErrors")),
                Arguments.of("invalid-empty-instance-ids.json", List.of("instanceIds")),
                Arguments.of("invalid-document-not-allowed.json", List.of("document.name", "AWS-RunPatchBaseline")),
                Arguments.of("invalid-commands-and-document.json", List.of("commands", "document")),
                Arguments.of("invalid-wrong-types.json", List.of("instanceIds", "bakeSeconds", "dryRun")),
                Arguments.of("invalid-several-errors.json",
                        List.of("targets", "instanceIds", "maxConcurrency", "maxErrors", "waves[0]", "waves[1]", "colour")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSamples")
    void anInvalidRequestIsRefusedNamingItsFieldsAndLeavesNothingBehind(String file, List<String> fields) {
        t.ssm().addNode(NODE_A, "Linux", "Online", Map.of("Role", "web")).addNode(NODE_B, "Linux", "Online", Map.of("Role", "web"));

        ObjectNode state = steps.start("bad-1", RepoFiles.event("inputs/" + file));

        assertEquals("INVALID", state.path("outcome").asText(), state::toString);
        assertEquals("Fleetrun.InvalidInput", state.path("error").asText());
        String cause = state.path("cause").asText();
        fields.forEach(f -> assertTrue(cause.contains(f), "the cause names " + f + ": " + cause));
        assertTrue(t.store().getRun("bad-1").isEmpty(), "no run record");
        assertTrue(t.store().leaseHolder(NODE_A).isEmpty() && t.store().leaseHolder(NODE_B).isEmpty(), "no lease");
        assertEquals(0, t.dynamoWrites(), "nothing written: " + t.dynamoRequests().counts());
        assertTrue(t.aws().requests("SendCommand").isEmpty());
        assertTrue(t.aws().events().entries().isEmpty(), "no event for a run that never started");
    }

    @Test
    void theWaitCoversTheRoundsOfTheSlowestCommandNotTheWaveAsAWhole() {
        ObjectNode request = HandlerSteps.request(t.addNodes(120, Map.of()));
        request.put("maxConcurrency", "10").putArray("waves").add("100%");

        ObjectNode state = steps.started("rounds-1", request);

        assertEquals(List.of("4", "3", "3"), t.store().batches("rounds-1", Phase.MAIN, 1).stream()
                .map(b -> Integer.toString(b.concurrency())).toList(), "40 nodes each, the concurrency of 10 shared out");
        assertEquals(600 + 14 * 600 + 120, state.path("waitTimeoutSeconds").asInt(),
                "40 nodes at 3 at a time take 14 rounds, not the 12 of 120 nodes at 10");
    }

    @Test
    void theWaitFollowsTheExecutionTimeoutADocumentSetsItself() {
        ObjectNode request = HandlerSteps.request(t.addNodes(2, Map.of()));
        request.remove("commands");
        request.set("document", Json.parse("""
                {"name": "AWS-RunShellScript",
                 "parameters": {"commands": ["/opt/app/patch.sh"], "executionTimeout": ["3600"]}}"""));

        ObjectNode state = steps.started("exec-timeout-1", request);
        ObjectNode retried = steps.start("exec-timeout-1", request);

        assertEquals(600 + 3600 + 120, state.path("waitTimeoutSeconds").asInt(),
                "SSM lets the script run its executionTimeout of 3600 s, whatever timeoutSeconds (600) says");
        assertEquals(state.path("waitTimeoutSeconds"), retried.path("waitTimeoutSeconds"), "a retried StartRun agrees");
    }

    @Test
    void anAlarmCloudWatchDoesNotKnowIsRefusedRatherThanNeverFiring() {
        t.aws().cloudWatch().setAlarm("web-5xx-high", "OK");
        ObjectNode request = HandlerSteps.request(t.addNodes(2, Map.of()));
        request.putArray("alarms").add("web-5xx-high").add("web-5xx-hihg");

        ObjectNode state = steps.start("typo-1", request);

        assertEquals("INVALID", state.path("outcome").asText(), state::toString);
        assertEquals("Fleetrun.InvalidInput", state.path("error").asText());
        assertEquals("invalid run request: alarms[1]: no CloudWatch alarm (metric or composite) is named \"web-5xx-hihg\""
                + " in this account and Region; check the name, which is case-sensitive", state.path("cause").asText());
        assertEquals(0, t.dynamoWrites(), "nothing recorded or leased");
    }

    @Test
    void offlineWrongPlatformAndUnknownNodesAreRecordedAsSkippedWithTheirReasons() {
        List<String> online = t.addNodes(2, Map.of());
        String offline = t.addNodes(1, "Linux", "ConnectionLost", Map.of()).get(0);
        String windows = t.addNodes(1, "Windows", "Online", Map.of()).get(0);
        String unknown = TestServices.nodeId(999);
        ObjectNode request = HandlerSteps.request(List.of(online.get(0), online.get(1), offline, windows, unknown));

        steps.started("mixed-1", request);

        RunView view = t.store().loadRun("mixed-1").orElseThrow();
        Map<String, NodeRecord> byId = view.nodes().stream()
                .collect(Collectors.toMap(NodeRecord::instanceId, n -> n));
        assertEquals(5, byId.size(), "no node silently dropped");
        online.forEach(id -> assertEquals(NodeStatus.PLANNED, byId.get(id).status()));
        for (String id : List.of(offline, windows, unknown)) {
            assertEquals(NodeStatus.SKIPPED, byId.get(id).status(), id);
            assertEquals(0, byId.get(id).wave(), "skipped nodes are wave 0");
        }
        assertTrue(byId.get(offline).reason().contains("ping status ConnectionLost"), byId.get(offline).reason());
        assertTrue(byId.get(windows).reason().contains("platform Windows cannot run AWS-RunShellScript"), byId.get(windows).reason());
        assertTrue(byId.get(unknown).reason().contains("not a managed node"), byId.get(unknown).reason());
        assertEquals(3, view.run().mainCounts().get(NodeStatus.SKIPPED));
        assertEquals(3, t.aws().events().entries(Notifier.RUN_STARTED).get(0).detail().path("skipped").asInt());
        for (String id : List.of(offline, windows, unknown)) {
            assertTrue(t.store().leaseHolder(id).isEmpty(), id + " is skipped, so not leased");
        }
        online.forEach(id -> assertTrue(t.store().leaseHolder(id).isPresent(), id));
    }

    @Test
    void whenEveryNodeIsOfflineTheRunHasNoTargetsAndTheCauseGivesTheReasons() {
        List<String> ids = t.addNodes(2, "Linux", "ConnectionLost", Map.of("Role", "web"));
        ObjectNode request = (ObjectNode) Json.parse("""
                {"targets": [{"key": "tag:Role", "values": ["web"]}], "commands": ["uptime"]}""");

        ObjectNode state = steps.start("offline-1", request);

        assertEquals("NO_TARGETS", state.path("outcome").asText(), state::toString);
        assertEquals("Fleetrun.NoTargets", state.path("error").asText());
        String cause = state.path("cause").asText();
        assertTrue(cause.contains("tag:Role=web"), cause);
        ids.forEach(id -> assertTrue(cause.contains(id + " (ping status ConnectionLost"), cause));
        assertTrue(t.store().getRun("offline-1").isEmpty());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty()));
        assertEquals(0, t.dynamoWrites());
    }

    @Test
    void aDryRunReturnsThePlanAndRecordsLeasesAndSendsNothing() {
        List<String> ids = t.addNodes(20, Map.of("Role", "web"));

        ObjectNode state = steps.start("plan-1", RepoFiles.event("inputs/dry-run.json"));

        assertEquals("DRY_RUN", state.path("outcome").asText(), state::toString);
        JsonNode plan = state.path("plan");
        assertEquals(20, plan.path("targeted").asInt());
        assertEquals(2, plan.path("concurrency").asInt(), "10% of 20");
        assertEquals(1, plan.path("errorAllowance").asInt());
        assertEquals("AWS-RunShellScript", plan.path("document").asText());
        List<Integer> sizes = Json.MAPPER.convertValue(plan.path("waves").findValues("size"),
                new TypeReference<List<Integer>>() { });
        assertEquals(List.of(1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1), sizes);
        assertEquals(ids.get(0), plan.path("waves").get(0).path("instanceIds").get(0).asText(), "the canary");
        assertTrue(t.store().getRun("plan-1").isEmpty());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty()));
        assertEquals(0, t.dynamoWrites(), t.dynamoRequests().counts()::toString);
        assertTrue(t.aws().requests("SendCommand").isEmpty());
        assertTrue(t.aws().events().entries().isEmpty());
    }

    @Test
    void aDryRunGroupsSkippedNodesByReasonWithACountAndAFewIds() {
        List<String> online = t.addNodes(3, Map.of("Role", "web"));
        List<String> offline = t.addNodes(3_000, "Linux", "ConnectionLost", Map.of("Role", "web"));
        ObjectNode request = (ObjectNode) Json.parse("""
                {"targets": [{"key": "tag:Role", "values": ["web"]}], "commands": ["uptime"], "dryRun": true}""");

        JsonNode plan = steps.start("plan-offline-1", request).path("plan");

        assertEquals(3, plan.path("targeted").asInt(), plan::toString);
        List<String> listed = new ArrayList<>();
        plan.path("waves").forEach(w -> w.path("instanceIds").forEach(id -> listed.add(id.asText())));
        assertEquals(online, listed, "a small plan still lists its nodes");
        assertEquals(3_000, plan.path("skippedCount").asInt());
        JsonNode skipped = plan.path("skipped");
        assertEquals(1, skipped.size(), "one entry per reason, not per node: " + skipped);
        assertEquals("ping status ConnectionLost: the SSM agent has not reported recently", skipped.get(0).path("reason").asText());
        assertEquals(3_000, skipped.get(0).path("count").asInt());
        assertEquals(offline.subList(0, 10), Json.MAPPER.convertValue(skipped.get(0).path("examples"),
                new TypeReference<List<String>>() { }));
        assertTrue(Json.write(plan).length() < 8 * 1024, () -> Json.write(plan).length() + " bytes");
    }

    @Test
    void aDryRunOfTwoThousandNodesMostlySkippedStaysFarBelowTheStateLimit() {
        t.addNodes(5, "Linux", "Online", Map.of("Role", "web"));
        t.addNodes(1_995, "Windows", "Online", Map.of("Role", "web")); // wrong platform for the shell: a long reason each
        ObjectNode request = (ObjectNode) Json.parse("""
                {"targets": [{"key": "tag:Role", "values": ["web"]}], "commands": ["uptime"], "dryRun": true}""");

        ObjectNode state = steps.start("plan-mixed-1", request);

        assertEquals("DRY_RUN", state.path("outcome").asText(), state::toString);
        assertEquals(1_995, state.path("plan").path("skippedCount").asInt());
        int bytes = Json.write(state).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(bytes < 64 * 1024, bytes + " bytes of execution output; Step Functions allows 256 KiB");
    }

    @Test
    void aRunOnNodesHeldByTwoRunsNamesEachHolderWithItsNodes() {
        List<String> ids = t.addNodes(5, Map.of());
        steps.started("holder-a", HandlerSteps.request(ids.subList(0, 2)));
        steps.started("holder-b", HandlerSteps.request(ids.subList(2, 4)));

        ObjectNode third = steps.start("third-1", HandlerSteps.request(ids));

        assertEquals("CONFLICT", third.path("outcome").asText(), third::toString);
        String cause = third.path("cause").asText();
        assertTrue(cause.startsWith("4 node(s) are leased by 2 other runs: " + ids.get(0) + ", " + ids.get(1)
                + " held by run holder-a until "), cause);
        assertTrue(cause.contains("; " + ids.get(2) + ", " + ids.get(3) + " held by run holder-b until "), cause);
        assertTrue(cause.endsWith(". Wait for those runs to finish, or stop them with: fleetrun stop holder-a;"
                + " fleetrun stop holder-b"), cause);
        assertTrue(t.store().leaseHolder(ids.get(4)).isEmpty(), "the refused run keeps no lease");
    }

    @Test
    void aSecondRunOnOverlappingNodesIsRefusedNamingTheRunThatHoldsThem() {
        List<String> ids = t.addNodes(5, Map.of());
        steps.started("first-1", HandlerSteps.request(ids.subList(0, 3)));

        ObjectNode second = steps.start("second-1", HandlerSteps.request(ids.subList(2, 5)));

        assertEquals("CONFLICT", second.path("outcome").asText(), second::toString);
        assertEquals("Fleetrun.LeaseConflict", second.path("error").asText());
        String cause = second.path("cause").asText();
        assertTrue(cause.contains(ids.get(2)) && cause.contains("held by run first-1"), cause);
        assertTrue(cause.contains("fleetrun stop first-1"), "says what to do: " + cause);
        assertTrue(t.store().getRun("second-1").isEmpty(), "the refused run has no record");
        assertEquals("first-1", t.store().leaseHolder(ids.get(2)).orElseThrow().runId(), "the holder keeps its lease");
        ids.subList(3, 5).forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(),
                id + ": the refused run keeps none of the leases it took"));
    }

    @Test
    void onceTheLeasesExpireASecondRunOnTheSameNodesStarts() {
        List<String> ids = t.addNodes(3, Map.of());
        steps.started("first-1", HandlerSteps.request(ids));
        t.clock().advance(Duration.ofSeconds(599));
        assertEquals("CONFLICT", steps.start("second-1", HandlerSteps.request(ids)).path("outcome").asText(),
                "one second before the lease ends");

        t.clock().advance(Duration.ofSeconds(2));
        steps.started("second-2", HandlerSteps.request(ids));

        ids.forEach(id -> assertEquals("second-2", t.store().leaseHolder(id).orElseThrow().runId()));
        assertEquals(RunStatus.RUNNING, t.store().getRun("second-2").orElseThrow().status());
    }

    @Test
    void aRetriedStartRunOfTheSameExecutionChangesNothing() {
        List<String> ids = t.addNodes(4, Map.of());
        ObjectNode first = steps.started("retried-1", HandlerSteps.request(ids));
        RunView before = t.store().loadRun("retried-1").orElseThrow();

        ObjectNode again = steps.start("retried-1", HandlerSteps.request(ids));

        assertEquals(first, again, "the same run state");
        assertEquals(before, t.store().loadRun("retried-1").orElseThrow(), "the records are as the first attempt wrote them");
        assertEquals(1, t.store().recentRuns(10).size());
        ids.forEach(id -> assertEquals("retried-1", t.store().leaseHolder(id).orElseThrow().runId()));
        List<BatchRecord> batches = before.batches();
        assertEquals(ids, batches.stream().flatMap(b -> b.instanceIds().stream()).toList());
    }

    @Test
    void aRetriedStartRunAfterTheFleetChangedKeepsThePlanItRecorded() {
        List<String> ids = t.addNodes(4, Map.of("Role", "web"));
        ObjectNode request = (ObjectNode) Json.parse("""
                {"targets": [{"key": "tag:Role", "values": ["web"]}], "commands": ["uptime"]}""");
        ObjectNode first = steps.started("fleet-changed-1", request);
        assertEquals(3, first.path("waveCount").asInt(), "1, 2 and 1 nodes");
        RunView before = t.store().loadRun("fleet-changed-1").orElseThrow();
        // Between the attempts two nodes drop out and another one registers: a new plan would have 2 waves.
        t.ssm().setPingStatus(ids.get(2), "ConnectionLost").setPingStatus(ids.get(3), "ConnectionLost");
        String newcomer = t.addNodes(1, Map.of("Role", "web")).get(0);

        ObjectNode again = steps.start("fleet-changed-1", request);

        assertEquals(first, again, "the state of the plan that was recorded, not of a new one");
        assertEquals(before, t.store().loadRun("fleet-changed-1").orElseThrow());
        assertTrue(t.store().leaseHolder(newcomer).isEmpty(), "a node the run does not have is not leased");
        ids.forEach(id -> assertEquals("fleet-changed-1", t.store().leaseHolder(id).orElseThrow().runId()));
    }

    @Test
    void aStartRunThatFailsBeforeItsRunIsRecordedLeavesNoLeaseBehind() {
        List<String> ids = t.addNodes(3, Map.of());
        StartRunHandler failing = new StartRunHandler(t.servicesWith(FailOnce.putting("#RUN")));

        assertThrows(RuntimeException.class,
                () -> failing.handle(t.startInput("lost-1", HandlerSteps.request(ids))));

        assertTrue(t.store().getRun("lost-1").isEmpty(), "the run item was never written");
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(),
                id + " is not held by a run that has no record (nothing would ever release it)"));
        steps.started("next-1", HandlerSteps.request(ids));
    }
}
