package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.testing.DynamoDbLocal;
import dev.fleetrun.local.testing.MutableClock;
import dev.fleetrun.testing.RequestCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Runs and their reads against DynamoDB Local: create, load, history, recent runs, status, TTL. */
class RunRecordsComponentTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    private static DynamoDbClient dynamo;
    private static RequestCounter requests;

    private final MutableClock clock = new MutableClock(T0);
    private String table;
    private DynamoRunStore store;

    @BeforeAll
    static void startDynamoDbLocal() {
        requests = new RequestCounter();
        dynamo = DynamoDbLocal.newClient(requests);
    }

    @BeforeEach
    void freshTable() {
        table = DynamoDbLocal.newTable();
        store = new DynamoRunStore(dynamo, table, clock, RETENTION);
    }

    @Test
    void aRunWithWavesBatchesAndNodesLoadsBackWithOneQuery() {
        TestPlan plan = TestPlan.of("run-load", T0, List.of(
                        List.of("i-a"), List.of("i-b", "i-c"), ids("i-w3-", 60)),
                List.of("i-off1", "i-off2"), "offline");
        assertTrue(plan.create(store));

        requests.reset();
        RunView view = store.loadRun("run-load").orElseThrow();

        assertEquals(Map.of("Query", 1), requests.counts(), "one query, nothing else");
        RunRecord run = view.run();
        assertEquals(plan.run().requestJson(), run.requestJson());
        assertEquals(plan.run().executionArn(), run.executionArn());
        assertEquals(RunStatus.RUNNING, run.status());
        assertEquals(T0, run.createdAt());
        assertEquals(3, run.waveCount());
        assertEquals(65, run.targeted());
        assertEquals(2, run.allowance());
        assertEquals(2, run.mainCounts().get(NodeStatus.SKIPPED), "skipped nodes are counted from the start");
        assertEquals(List.of(1, 2, 3), view.waves().stream().map(WaveRecord::wave).toList());
        assertEquals(List.of(1, 2, 60), view.waves().stream().map(WaveRecord::size).toList());
        assertTrue(view.waves().stream().allMatch(w -> w.done() == 0 && w.status() == WaveStatus.PLANNED));
        assertEquals(List.of(1, 1, 2), view.waves().stream().map(WaveRecord::batchCount).toList());
        assertEquals(plan.batches(), view.batches());
        assertEquals(65, view.nodes().size());
        assertEquals(plan.nodes().stream().map(NodeRecord::instanceId).sorted().toList(),
                view.nodes().stream().map(NodeRecord::instanceId).sorted().toList());
        NodeRecord skipped = view.nodes().stream().filter(n -> n.instanceId().equals("i-off1")).findFirst().orElseThrow();
        assertEquals(NodeStatus.SKIPPED, skipped.status());
        assertEquals(0, skipped.wave());
        assertEquals("offline", skipped.reason());
    }

    @Test
    void aRunLargerThanOneQueryPageLoadsCompletelyWithAPaginatedQuery() {
        // 400 skipped nodes with 4,000-character reasons: 1.6 MB, more than DynamoDB's 1 MB page.
        String reason = "x".repeat(4_000);
        TestPlan plan = TestPlan.of("run-big", T0, List.of(List.of("i-a")), ids("i-skip-", 400), reason);
        plan.create(store);

        requests.reset();
        RunView view = store.loadRun("run-big").orElseThrow();

        assertEquals(401, view.nodes().size());
        assertTrue(requests.count("Query") > 1, "more than one page: " + requests.counts());
        assertEquals(requests.count("Query"), requests.counts().values().stream().mapToInt(Integer::intValue).sum(),
                "pages of the same query, nothing else: " + requests.counts());
    }

    @Test
    void creatingARunTwiceIsHarmlessAndKeepsWhatHappenedSince() {
        TestPlan plan = TestPlan.of("run-twice", T0, 2, 3);
        assertTrue(plan.create(store));
        store.recordNodeStatus(NodeUpdate.terminal("run-twice", Phase.MAIN, 1, plan.wave(1).get(0),
                NodeStatus.SUCCEEDED, "cmd-1", 0, "Success", false));
        int items = scanAll().size();

        assertFalse(plan.create(store), "the second create reports that the run existed");

        assertEquals(items, scanAll().size(), "no item added");
        RunView view = store.loadRun("run-twice").orElseThrow();
        assertEquals(NodeStatus.SUCCEEDED, view.nodes(Phase.MAIN).stream()
                .filter(n -> n.instanceId().equals(plan.wave(1).get(0))).findFirst().orElseThrow().status());
        assertEquals(1, view.run().mainCounts().get(NodeStatus.SUCCEEDED));
        assertEquals(1, view.waves().get(0).done());
    }

    @Test
    void aRunIdTakenByAnotherExecutionIsRejected() {
        TestPlan.of("run-taken", T0, 1).create(store);
        TestPlan other = TestPlan.of("run-taken", T0, 1);
        RunRecord otherRun = RunRecord.started("run-taken", "other", "{}", "{}", "arn:other", T0, 1, 1, 1, 0);

        var e = assertThrows(IllegalStateException.class,
                () -> store.createRun(otherRun, other.waves(), other.batches(), other.nodes()));
        assertTrue(e.getMessage().contains("arn:other"), e.getMessage());
    }

    @Test
    void aPlanThatDoesNotAddUpIsRejectedBeforeAnythingIsWritten() {
        TestPlan plan = TestPlan.of("run-bad", T0, 2);
        List<WaveRecord> wrongSize = List.of(WaveRecord.planned(Phase.MAIN, 1, 3, 1, 1));

        var e = assertThrows(IllegalArgumentException.class,
                () -> store.createRun(plan.run(), wrongSize, plan.batches(), plan.nodes()));

        assertTrue(e.getMessage().contains("wave main/1 has size 3 but 2 nodes"), e.getMessage());
        assertTrue(scanAll().isEmpty());
    }

    @Test
    void recentRunsAreNewestFirst() {
        // Half a second apart: Instant.toString() would sort 10:00:00Z after 10:00:00.500Z.
        TestPlan.of("run-2", T0.plusMillis(500), 1).create(store);
        TestPlan.of("run-3", T0.plusSeconds(1), 1).create(store);
        TestPlan.of("run-1", T0, 1).create(store);

        assertEquals(List.of("run-3", "run-2", "run-1"), runIds(store.recentRuns(10)));
        assertEquals(List.of("run-3", "run-2"), runIds(store.recentRuns(2)));
    }

    @Test
    void nodeHistoryIsNewestFirstAcrossRuns() {
        List<String> shared = List.of("i-shared");
        TestPlan old = TestPlan.of("run-old", T0, List.of(shared), List.of(), "");
        TestPlan middle = TestPlan.of("run-middle", T0.plusMillis(500), List.of(shared), List.of(), "");
        TestPlan latest = TestPlan.of("run-latest", T0.plus(Duration.ofHours(1)), List.of(List.of("i-other")), shared,
                "offline");
        latest.create(store);
        old.create(store);
        middle.create(store);
        TestPlan rollback = TestPlan.rollback(middle.run(), shared);
        store.planRollback("run-middle", rollback.waves(), rollback.batches(), rollback.nodes());

        List<NodeRecord> history = store.nodeHistory("i-shared", 10);

        assertEquals(List.of("run-latest/main", "run-middle/rollback", "run-middle/main", "run-old/main"),
                history.stream().map(n -> n.runId() + "/" + n.phase().id()).toList());
        assertEquals(NodeStatus.SKIPPED, history.get(0).status());
        assertEquals(2, store.nodeHistory("i-shared", 2).size());
    }

    @Test
    void nodeHistoryShowsANodeOfASentBatchAsSentWithItsCommand() {
        TestPlan plan = TestPlan.of("run-sent", T0, List.of(List.of("i-a", "i-b")), List.of(), "");
        plan.create(store);
        assertEquals(NodeStatus.PLANNED, store.nodeHistory("i-a", 1).get(0).status(), "not sent yet");
        store.claimBatch("run-sent", Phase.MAIN, 1, 1, "attempt-1");
        store.recordBatchSent(new CommandRecord("cmd-a", "run-sent", Phase.MAIN, 1, 1, "token", T0), "attempt-1");

        NodeRecord sent = store.nodeHistory("i-a", 1).get(0);

        assertEquals(NodeStatus.SENT, sent.status());
        assertEquals("cmd-a", sent.commandId());
        store.recordNodeStatus(NodeUpdate.of("run-sent", Phase.MAIN, 1, "i-b", NodeStatus.SUCCEEDED));
        assertEquals(NodeStatus.SUCCEEDED, store.nodeHistory("i-b", 1).get(0).status(), "a result stands as recorded");
    }

    @Test
    void nodesOfAWaveAndOfAPhaseAreReadByKeyPrefix() {
        TestPlan plan = TestPlan.of("run-prefix", T0, List.of(List.of("i-1"), List.of("i-2"), List.of("i-3"),
                List.of("i-4"), List.of("i-5"), List.of("i-6"), List.of("i-7"), List.of("i-8"), List.of("i-9"),
                List.of("i-10a", "i-10b")), List.of("i-skip"), "wrong platform");
        plan.create(store);
        TestPlan rollback = TestPlan.rollback(plan.run(), List.of("i-1", "i-2"));
        store.planRollback("run-prefix", rollback.waves(), rollback.batches(), rollback.nodes());

        assertEquals(List.of("i-1"), instanceIds(store.nodes("run-prefix", Phase.MAIN, 1)), "wave 1, not wave 10");
        assertEquals(List.of("i-10a", "i-10b"), instanceIds(store.nodes("run-prefix", Phase.MAIN, 10)));
        assertEquals(List.of("i-skip"), instanceIds(store.nodes("run-prefix", Phase.MAIN, 0)));
        assertEquals(12, store.nodes("run-prefix", Phase.MAIN).size());
        assertEquals(List.of("i-1", "i-2"), instanceIds(store.nodes("run-prefix", Phase.ROLLBACK)));
    }

    @Test
    void aPlannedRollbackIsPartOfTheRun() {
        TestPlan plan = TestPlan.of("run-rb", T0, 3);
        plan.create(store);
        TestPlan rollback = TestPlan.rollback(plan.run(), plan.wave(1));

        store.planRollback("run-rb", rollback.waves(), rollback.batches(), rollback.nodes());

        RunView view = store.loadRun("run-rb").orElseThrow();
        assertEquals(1, view.run().rollbackWaveCount());
        assertEquals(1, view.run().waveCount());
        assertEquals(List.of(3), view.waves(Phase.ROLLBACK).stream().map(WaveRecord::size).toList());
        assertEquals(3, view.nodes(Phase.ROLLBACK).size());
        assertTrue(view.nodes(Phase.ROLLBACK).stream().allMatch(n -> n.status() == NodeStatus.PLANNED));
    }

    @Test
    void aRunMovesBetweenStatusesOnlyFromTheExpectedOneAndAFinalStatusNeverChanges() {
        TestPlan.of("run-status", T0, 1).create(store);
        clock.advance(Duration.ofMinutes(5));

        assertFalse(store.updateRunStatus("run-status", RunStatus.CANCELLED, RunStatus.FAILED), "not CANCELLED");
        assertTrue(store.updateRunStatus("run-status", RunStatus.RUNNING, RunStatus.BREACHED));
        RunRecord breached = store.getRun("run-status").orElseThrow();
        assertEquals(RunStatus.BREACHED, breached.status());
        assertEquals(T0.plus(Duration.ofMinutes(5)), breached.finishedAt());

        assertFalse(store.updateRunStatus("run-status", RunStatus.BREACHED, RunStatus.ROLLED_BACK),
                "a final status never changes");
        assertFalse(store.finishRun("run-status", RunStatus.SUCCEEDED, "{}"));
        assertEquals(RunStatus.BREACHED, store.getRun("run-status").orElseThrow().status());
    }

    @Test
    void finishingARunIsIdempotentAndClearsItsApprovalToken() {
        TestPlan.of("run-finish", T0, 1).create(store);
        store.setApprovalToken("run-finish", "approval-token-1");
        assertEquals("approval-token-1", store.getRun("run-finish").orElseThrow().approvalToken());
        clock.advance(Duration.ofMinutes(1));

        assertTrue(store.finishRun("run-finish", RunStatus.SUCCEEDED, "{\"status\":\"SUCCEEDED\"}"));
        clock.advance(Duration.ofMinutes(1));
        assertFalse(store.finishRun("run-finish", RunStatus.FAILED, "{\"status\":\"FAILED\"}"));

        RunRecord run = store.getRun("run-finish").orElseThrow();
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals("{\"status\":\"SUCCEEDED\"}", run.summaryJson());
        assertEquals(T0.plus(Duration.ofMinutes(1)), run.finishedAt());
        assertNull(run.approvalToken());
        var e = assertThrows(IllegalStateException.class, () -> store.setApprovalToken("run-finish", "late"));
        assertTrue(e.getMessage().contains("SUCCEEDED"), e.getMessage());
    }

    @Test
    void onlyTheFirstBreachIsKept() {
        TestPlan.of("run-breach", T0, 1).create(store);

        assertTrue(store.setBreach("run-breach", "{\"reason\":\"errors\"}"));
        assertFalse(store.setBreach("run-breach", "{\"reason\":\"alarm\"}"));

        assertEquals("{\"reason\":\"errors\"}", store.getRun("run-breach").orElseThrow().breachJson());
    }

    @Test
    void writingToARunThatDoesNotExistSaysSo() {
        var e = assertThrows(IllegalStateException.class, () -> store.finishRun("no-such-run", RunStatus.FAILED, null));
        assertTrue(e.getMessage().contains("no-such-run") && e.getMessage().contains(table), e.getMessage());
        assertTrue(store.getRun("no-such-run").isEmpty());
        assertTrue(store.loadRun("no-such-run").isEmpty());
    }

    @Test
    void everyItemCarriesTheTtlFromTheClockPlusTheRetention() {
        TestPlan plan = TestPlan.of("run-ttl", T0, 2);
        plan.create(store);
        TestPlan rollback = TestPlan.rollback(plan.run(), plan.wave(1));
        store.planRollback("run-ttl", rollback.waves(), rollback.batches(), rollback.nodes());
        store.claimBatch("run-ttl", Phase.MAIN, 1, 1, "attempt-1");
        store.recordBatchSent(new CommandRecord("cmd-ttl", "run-ttl", Phase.MAIN, 1, 1, "token", T0), "attempt-1");
        store.acquireLeases("run-ttl", plan.run().executionArn(), plan.wave(1), T0.plus(Duration.ofHours(1)));

        List<Map<String, AttributeValue>> items = scanAll();

        long expected = T0.plus(RETENTION).getEpochSecond();
        // run, 2 waves, 2 batches, 4 nodes, command, 2 leases
        assertEquals(12, items.size());
        for (Map<String, AttributeValue> item : items) {
            assertEquals(Long.toString(expected), item.get(FleetrunTable.TTL_ATTRIBUTE).n(),
                    "TTL of " + item.get(FleetrunTable.PK).s() + " " + item.get(FleetrunTable.SK).s());
        }
        var ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        assertEquals(FleetrunTable.TTL_ATTRIBUTE, ttl.attributeName());
    }

    private List<Map<String, AttributeValue>> scanAll() {
        return dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().stream().toList();
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(n -> prefix + n).toList();
    }

    private static List<String> runIds(List<RunRecord> runs) {
        return runs.stream().map(RunRecord::runId).toList();
    }

    private static List<String> instanceIds(List<NodeRecord> nodes) {
        return nodes.stream().map(NodeRecord::instanceId).toList();
    }
}
