package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.testing.DynamoDbLocal;
import dev.fleetrun.local.testing.MutableClock;
import dev.fleetrun.testing.RequestCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node status transitions against DynamoDB Local: forward only, each terminal status counted once
 * on the wave and the run, whatever the order and repetition of the events.
 */
class NodeTransitionsComponentTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** The statuses SSM can end an invocation with. */
    private static final List<NodeStatus> SSM_TERMINAL = List.of(NodeStatus.SUCCEEDED, NodeStatus.FAILED,
            NodeStatus.TIMED_OUT, NodeStatus.DELIVERY_TIMED_OUT, NodeStatus.UNDELIVERABLE, NodeStatus.CANCELLED,
            NodeStatus.TERMINATED);
    /** This test's error policy: what counts against maxErrors. */
    private static final Set<NodeStatus> ERRORS = EnumSet.of(NodeStatus.FAILED, NodeStatus.TIMED_OUT,
            NodeStatus.DELIVERY_TIMED_OUT, NodeStatus.UNDELIVERABLE);

    private final MutableClock clock = new MutableClock(T0);
    private DynamoRunStore store;

    @BeforeAll
    static void startDynamoDbLocal() {
        DynamoDbLocal.endpoint();
    }

    @BeforeEach
    void freshTable() {
        store = new DynamoRunStore(DynamoDbLocal.client(), DynamoDbLocal.newTable(), clock, Duration.ofDays(90));
    }

    @Test
    void aRepeatedTerminalEventChangesNothingAndCountsOnce() {
        TestPlan plan = TestPlan.of("run-dup", T0, 3);
        plan.create(store);
        String node = plan.wave(1).get(0);

        Transition first = store.recordNodeStatus(event(plan, 1, node, NodeStatus.FAILED));
        clock.advance(Duration.ofSeconds(30));
        Transition second = store.recordNodeStatus(event(plan, 1, node, NodeStatus.FAILED));

        assertTrue(first.applied());
        assertFalse(second.applied());
        assertEquals(1, second.waveDone());
        assertEquals(3, second.waveSize());
        NodeRecord stored = node(plan, 1, node);
        assertEquals(NodeStatus.FAILED, stored.status());
        assertEquals(T0, stored.updatedAt(), "the repeat wrote nothing");
        WaveRecord wave = store.getWave(plan.runId(), Phase.MAIN, 1).orElseThrow();
        assertEquals(1, wave.done());
        assertEquals(1, wave.counts().get(NodeStatus.FAILED));
        RunRecord run = store.getRun(plan.runId()).orElseThrow();
        assertEquals(1, run.mainCounts().get(NodeStatus.FAILED));
        assertEquals(1, run.errors());
    }

    @Test
    void aLateInProgressAfterSucceededChangesNothing() {
        TestPlan plan = TestPlan.of("run-late", T0, 2);
        plan.create(store);
        String node = plan.wave(1).get(0);
        store.recordNodeStatus(NodeUpdate.terminal(plan.runId(), Phase.MAIN, 1, node, NodeStatus.SUCCEEDED,
                "cmd-1", 0, "Success", false).withOutput("ok", "", "s3://bucket/out"));

        Transition late = store.recordNodeStatus(NodeUpdate.of(plan.runId(), Phase.MAIN, 1, node, NodeStatus.IN_PROGRESS));

        assertFalse(late.applied());
        NodeRecord stored = node(plan, 1, node);
        assertEquals(NodeStatus.SUCCEEDED, stored.status());
        assertEquals("cmd-1", stored.commandId());
        assertEquals(0, stored.responseCode());
        assertEquals("Success", stored.statusDetails());
        assertEquals("ok", stored.outputExcerpt());
        assertEquals("s3://bucket/out", stored.outputUrl());
        assertEquals(1, store.getWave(plan.runId(), Phase.MAIN, 1).orElseThrow().done());
    }

    @Test
    void ofTwoDifferentTerminalStatusesTheFirstWins() {
        TestPlan plan = TestPlan.of("run-first", T0, 1);
        plan.create(store);
        String node = plan.wave(1).get(0);

        assertTrue(store.recordNodeStatus(event(plan, 1, node, NodeStatus.TIMED_OUT)).applied());
        assertFalse(store.recordNodeStatus(event(plan, 1, node, NodeStatus.SUCCEEDED)).applied());

        assertEquals(NodeStatus.TIMED_OUT, node(plan, 1, node).status());
        WaveRecord wave = store.getWave(plan.runId(), Phase.MAIN, 1).orElseThrow();
        assertEquals(StatusCounts.of(List.of(NodeStatus.TIMED_OUT)), wave.counts());
        RunRecord run = store.getRun(plan.runId()).orElseThrow();
        assertEquals(StatusCounts.of(List.of(NodeStatus.TIMED_OUT)), run.mainCounts());
        assertEquals(1, run.errors());
    }

    @Test
    void nonTerminalStatusesMoveForwardWithoutCounting() {
        TestPlan plan = TestPlan.of("run-forward", T0, 2);
        plan.create(store);
        String node = plan.wave(1).get(0);

        assertTrue(store.recordNodeStatus(NodeUpdate.of(plan.runId(), Phase.MAIN, 1, node, NodeStatus.IN_PROGRESS)).applied());
        assertFalse(store.recordNodeStatus(NodeUpdate.of(plan.runId(), Phase.MAIN, 1, node, NodeStatus.SENT)).applied());

        assertEquals(NodeStatus.IN_PROGRESS, node(plan, 1, node).status());
        assertEquals(0, store.getWave(plan.runId(), Phase.MAIN, 1).orElseThrow().done());
        assertEquals(StatusCounts.empty(), store.getRun(plan.runId()).orElseThrow().mainCounts());
    }

    @Test
    void theLastNodeOfAWaveReportsTheWaveComplete() {
        TestPlan plan = TestPlan.of("run-complete", T0, 2, 1);
        plan.create(store);

        Transition first = store.recordNodeStatus(event(plan, 1, plan.wave(1).get(0), NodeStatus.SUCCEEDED));
        Transition last = store.recordNodeStatus(event(plan, 1, plan.wave(1).get(1), NodeStatus.SUCCEEDED));

        assertTrue(first.applied());
        assertEquals(1, first.waveDone());
        assertEquals(2, first.waveSize());
        assertFalse(first.waveComplete());
        assertTrue(last.applied());
        assertEquals(2, last.waveDone());
        assertTrue(last.waveComplete());
        assertEquals(store.getWave(plan.runId(), Phase.MAIN, 1).orElseThrow(), last.wave(),
                "the wave as it is after the update, so that the listener need not read it again");
        assertEquals(0, store.getWave(plan.runId(), Phase.MAIN, 2).orElseThrow().done(), "the other wave is untouched");
    }

    @Test
    void onceTheWavesSizeIsKnownOnlyTheUpdateThatMayCompleteTheWaveReadsIt() {
        RequestCounter calls = new RequestCounter();
        DynamoRunStore counted = new DynamoRunStore(DynamoDbLocal.newClient(calls), store.tableName(), clock,
                Duration.ofDays(90));
        TestPlan plan = TestPlan.of("run-reads", T0, 3);
        plan.create(counted);
        List<String> nodes = plan.wave(1);

        Transition first = counted.recordNodeStatus(event(plan, 1, nodes.get(0), NodeStatus.SUCCEEDED));
        calls.reset();
        Transition second = counted.recordNodeStatus(event(plan, 1, nodes.get(1), NodeStatus.FAILED));
        Map<String, Integer> secondCalls = calls.counts();
        calls.reset();
        Transition last = counted.recordNodeStatus(event(plan, 1, nodes.get(2), NodeStatus.SUCCEEDED));
        Map<String, Integer> lastCalls = calls.counts();
        calls.reset();
        Transition repeat = counted.recordNodeStatus(event(plan, 1, nodes.get(1), NodeStatus.FAILED));

        assertEquals(1, first.waveDone(), "the first update of a wave reads it: the size is not known yet");
        assertTrue(second.applied());
        assertNull(second.wave(), "two nodes were to go: the wave cannot be complete and is not read");
        assertFalse(second.waveComplete());
        assertEquals(Map.of("TransactWriteItems", 1), secondCalls, "one transaction, no read");
        assertTrue(last.applied());
        assertTrue(last.waveComplete(), "the last node's update reads the wave");
        assertEquals(3, last.waveDone());
        assertEquals(Map.of("TransactWriteItems", 2, "GetItem", 1), lastCalls,
                "the guarded transaction is refused before writing, done again without the guard, then the wave read");
        assertFalse(repeat.applied());
        assertTrue(repeat.waveComplete(), "a repeated event still sees the wave, to complete it if nobody did");
        assertCountersMatchNodes(plan);
        RunRecord run = store.getRun(plan.runId()).orElseThrow();
        assertEquals(2, run.mainCounts().get(NodeStatus.SUCCEEDED));
        assertEquals(1, run.errors(), "each node counted once, the refused guarded attempt not at all");
    }

    @Test
    void rollbackNodesCountOnTheRollbackPhaseAndNeverAsErrors() {
        TestPlan plan = TestPlan.of("run-rbcount", T0, 2);
        plan.create(store);
        TestPlan rollback = TestPlan.rollback(plan.run(), plan.wave(1));
        store.planRollback(plan.runId(), rollback.waves(), rollback.batches(), rollback.nodes());

        store.recordNodeStatus(NodeUpdate.of(plan.runId(), Phase.ROLLBACK, 1, plan.wave(1).get(0), NodeStatus.FAILED));

        RunRecord run = store.getRun(plan.runId()).orElseThrow();
        assertEquals(1, run.rollbackCounts().get(NodeStatus.FAILED));
        assertEquals(StatusCounts.empty(), run.mainCounts());
        assertEquals(0, run.errors());
        assertThrows(IllegalArgumentException.class, () -> NodeUpdate.terminal(plan.runId(), Phase.ROLLBACK, 1,
                plan.wave(1).get(0), NodeStatus.FAILED, "cmd", 1, "Failed", true));
    }

    @Test
    void countersMatchTheNodesAfterAShuffledRepeatedEventStream() {
        int size = 40;
        TestPlan plan = TestPlan.of("run-stream", T0, size);
        plan.create(store);
        List<NodeUpdate> events = shuffledEventStream(plan, new Random(20261122));
        Map<String, NodeStatus> model = new HashMap<>();
        plan.wave(1).forEach(id -> model.put(id, NodeStatus.PLANNED));

        int appliedTerminal = 0;
        Transition last = null;
        for (NodeUpdate event : events) {
            NodeStatus before = model.get(event.instanceId());
            boolean expected = before.canMoveTo(event.status());
            if (expected) {
                model.put(event.instanceId(), event.status());
            }
            last = store.recordNodeStatus(event);
            assertEquals(expected, last.applied(), "event " + event.status() + " for " + event.instanceId()
                    + " after " + before);
            appliedTerminal += last.applied() && event.status().isTerminal() ? 1 : 0;
        }

        assertEquals(size, appliedTerminal, "each node counted exactly once");
        assertTrue(last.waveComplete());
        Map<String, NodeStatus> stored = new HashMap<>();
        store.nodes(plan.runId(), Phase.MAIN, 1).forEach(n -> stored.put(n.instanceId(), n.status()));
        assertEquals(model, stored, "every node holds the first terminal status it got");
        assertCountersMatchNodes(plan);
    }

    @Test
    void countersMatchTheNodesWhenTheEventStreamIsRecordedConcurrently() throws Exception {
        TestPlan plan = TestPlan.of("run-concurrent", T0, 30);
        plan.create(store);
        List<NodeUpdate> events = shuffledEventStream(plan, new Random(7));
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = offset; i < events.size(); i += threads) {
                        store.recordNodeStatus(events.get(i));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertCountersMatchNodes(plan);
        assertTrue(store.getWave(plan.runId(), Phase.MAIN, 1).orElseThrow().complete());
    }

    @Test
    void nodesOfUnsentWavesAreMarkedNotRunAndCounted() {
        TestPlan plan = TestPlan.of("run-notrun", T0, 2, 150, 3);
        plan.create(store);
        String runId = plan.runId();
        store.setWaveToken(runId, Phase.MAIN, 1, "token-1", T0.getEpochSecond() + 600);
        store.recordNodeStatus(event(plan, 1, plan.wave(1).get(0), NodeStatus.FAILED));
        store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, 1, plan.wave(1).get(1), NodeStatus.IN_PROGRESS));
        // A node of wave 3 was sent after all (it is not PLANNED any more): it must stay as it is.
        store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, 3, plan.wave(3).get(0), NodeStatus.SENT));

        List<NodeRecord> planned = store.nodes(runId, Phase.MAIN).stream()
                .filter(n -> n.status() == NodeStatus.PLANNED || n.wave() == 3).toList();
        int marked = store.markNotRun(runId, Phase.MAIN, planned);

        assertEquals(152, marked, "wave 2 (150, over one transaction) and two nodes of wave 3");
        assertEquals(0, store.markNotRun(runId, Phase.MAIN, planned), "a second call changes nothing");
        RunView view = store.loadRun(runId).orElseThrow();
        assertEquals(NodeStatus.IN_PROGRESS, status(view, plan.wave(1).get(1)), "sent waves are not touched");
        assertEquals(NodeStatus.SENT, status(view, plan.wave(3).get(0)));
        assertTrue(plan.wave(2).stream().allMatch(id -> status(view, id) == NodeStatus.NOT_RUN));
        assertEquals(NodeTransitions.NOT_RUN_REASON, view.nodes().stream()
                .filter(n -> n.instanceId().equals(plan.wave(2).get(0))).findFirst().orElseThrow().reason());
        assertEquals(List.of(WaveStatus.SENT, WaveStatus.NOT_RUN, WaveStatus.NOT_RUN),
                view.waves().stream().map(WaveRecord::status).toList());
        assertEquals(List.of(1, 150, 2), view.waves().stream().map(WaveRecord::done).toList());
        assertEquals(152, view.run().mainCounts().get(NodeStatus.NOT_RUN));
        assertEquals(1, view.run().errors(), "NOT_RUN is not an error");
        assertCountersMatchNodes(plan);
    }

    /** Per node: SENT, IN_PROGRESS, one terminal status and sometimes a second one; some repeated; all shuffled. */
    private static List<NodeUpdate> shuffledEventStream(TestPlan plan, Random random) {
        List<NodeUpdate> events = new ArrayList<>();
        for (String id : plan.wave(1)) {
            List<NodeStatus> statuses = new ArrayList<>(List.of(NodeStatus.SENT, NodeStatus.IN_PROGRESS,
                    SSM_TERMINAL.get(random.nextInt(SSM_TERMINAL.size()))));
            if (random.nextInt(10) < 3) {
                statuses.add(SSM_TERMINAL.get(random.nextInt(SSM_TERMINAL.size())));
            }
            for (NodeStatus status : List.copyOf(statuses)) {
                int repeats = random.nextInt(3);
                for (int r = 0; r < repeats; r++) {
                    statuses.add(status);
                }
            }
            statuses.forEach(status -> events.add(event(plan, 1, id, status)));
        }
        Collections.shuffle(events, random);
        return events;
    }

    private void assertCountersMatchNodes(TestPlan plan) {
        RunView view = store.loadRun(plan.runId()).orElseThrow();
        for (WaveRecord wave : view.waves()) {
            List<NodeStatus> statuses = view.nodes().stream()
                    .filter(n -> n.phase() == wave.phase() && n.wave() == wave.wave()).map(NodeRecord::status).toList();
            StatusCounts terminal = StatusCounts.of(statuses).terminal();
            assertEquals(terminal, wave.counts(), "counts of wave " + wave.wave());
            assertEquals(terminal.total(), wave.done(), "done of wave " + wave.wave());
        }
        List<NodeStatus> main = view.nodes(Phase.MAIN).stream().map(NodeRecord::status).toList();
        assertEquals(StatusCounts.of(main).terminal(), view.run().mainCounts());
        assertEquals(main.stream().filter(ERRORS::contains).count(), view.run().errors());
    }

    private static NodeUpdate event(TestPlan plan, int wave, String instanceId, NodeStatus status) {
        if (!status.isTerminal()) {
            return NodeUpdate.of(plan.runId(), Phase.MAIN, wave, instanceId, status);
        }
        return NodeUpdate.terminal(plan.runId(), Phase.MAIN, wave, instanceId, status, "cmd-" + wave,
                status == NodeStatus.SUCCEEDED ? 0 : 1, status.name(), ERRORS.contains(status));
    }

    private NodeRecord node(TestPlan plan, int wave, String instanceId) {
        return store.nodes(plan.runId(), Phase.MAIN, wave).stream()
                .filter(n -> n.instanceId().equals(instanceId)).findFirst().orElseThrow();
    }

    private static NodeStatus status(RunView view, String instanceId) {
        return view.nodes().stream().filter(n -> n.instanceId().equals(instanceId)).findFirst().orElseThrow().status();
    }
}
