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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Wave tokens and completion claims, batch claims and commands, against DynamoDB Local. */
class WavesAndBatchesComponentTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private DynamoRunStore store;
    private TestPlan plan;
    private String runId;

    @BeforeAll
    static void startDynamoDbLocal() {
        DynamoDbLocal.endpoint();
    }

    @BeforeEach
    void freshTableWithARun() {
        store = new DynamoRunStore(DynamoDbLocal.client(), DynamoDbLocal.newTable(), clock, Duration.ofDays(90));
        plan = TestPlan.of("run-waves", T0, 2, 60);
        plan.create(store);
        runId = plan.runId();
    }

    @Test
    void settingTheWaveTokenMarksItSentWithItsDeadline() {
        clock.advance(Duration.ofMinutes(1));
        store.setWaveToken(runId, Phase.MAIN, 1, "token-1", 1_800_000_000L);
        clock.advance(Duration.ofMinutes(1));
        store.setWaveToken(runId, Phase.MAIN, 1, "token-2", 1_800_000_600L);

        WaveRecord wave = store.getWave(runId, Phase.MAIN, 1).orElseThrow();
        assertEquals(WaveStatus.SENT, wave.status());
        assertEquals("token-2", wave.taskToken());
        assertEquals(1_800_000_600L, wave.deadline());
        assertEquals(T0.plus(Duration.ofMinutes(1)), wave.sentAt(), "sent when the first token was stored");
        assertThrows(IllegalStateException.class, () -> store.setWaveToken(runId, Phase.MAIN, 9, "t", 0));
    }

    @Test
    void aWaveCompletionIsClaimedExactlyOncePerTokenEvenFromEightThreads() throws Exception {
        store.setWaveToken(runId, Phase.MAIN, 1, "token-1", 0);
        completeWave(1);

        assertEquals(1, claimConcurrently("token-1", 8), "exactly one of 8 concurrent claims wins");
        assertFalse(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-1"), "and none after");
        assertEquals(WaveStatus.COMPLETED, store.getWave(runId, Phase.MAIN, 1).orElseThrow().status());

        store.setWaveToken(runId, Phase.MAIN, 1, "token-2", 0);
        assertEquals(1, claimConcurrently("token-2", 8), "a new token can be claimed once again");
        assertEquals("token-2", store.getWave(runId, Phase.MAIN, 1).orElseThrow().completedToken());
    }

    @Test
    void anIncompleteWaveOrAStaleTokenCannotBeClaimed() {
        store.setWaveToken(runId, Phase.MAIN, 1, "token-1", 0);
        store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, 1, plan.wave(1).get(0), NodeStatus.SUCCEEDED));

        assertFalse(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-1"), "one node is not done");

        store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, 1, plan.wave(1).get(1), NodeStatus.SUCCEEDED));
        store.setWaveToken(runId, Phase.MAIN, 1, "token-2", 0);
        assertFalse(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-1"), "token-1 is not the wave's token any more");
        assertTrue(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-2"));
    }

    @Test
    void aReleasedCompletionCanBeClaimedAgain() {
        store.setWaveToken(runId, Phase.MAIN, 1, "token-1", 0);
        completeWave(1);
        assertTrue(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-1"));

        store.releaseWaveCompletion(runId, Phase.MAIN, 1, "other-token");
        assertFalse(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-1"), "releasing another token does nothing");

        store.releaseWaveCompletion(runId, Phase.MAIN, 1, "token-1");
        WaveRecord released = store.getWave(runId, Phase.MAIN, 1).orElseThrow();
        assertNull(released.completedToken());
        assertEquals(WaveStatus.SENT, released.status());
        assertTrue(store.claimWaveCompletion(runId, Phase.MAIN, 1, "token-1"));
    }

    @Test
    void aBatchIsClaimedThenAlreadySentOnceItsCommandIsRecorded() {
        BatchClaim claim = store.claimBatch(runId, Phase.MAIN, 2, 2, "attempt-1");
        assertEquals(BatchClaim.Outcome.CLAIMED, claim.outcome());
        assertEquals(plan.wave(2).subList(50, 60), claim.batch().instanceIds());
        assertEquals(BatchClaim.Outcome.CLAIMED, store.claimBatch(runId, Phase.MAIN, 2, 2, "attempt-1").outcome(),
                "the same attempt may ask again");

        CommandRecord command = new CommandRecord("cmd-22", runId, Phase.MAIN, 2, 2, "token-2", T0);
        store.recordBatchSent(command, "attempt-1");

        BatchClaim retry = store.claimBatch(runId, Phase.MAIN, 2, 2, "attempt-2");
        assertEquals(BatchClaim.Outcome.ALREADY_SENT, retry.outcome());
        assertEquals("cmd-22", retry.commandId());
        assertEquals(BatchState.SENT, retry.batch().state());
        assertEquals(command, store.findCommand("cmd-22").orElseThrow());
        assertTrue(store.findCommand("cmd-unknown").isEmpty());
        List<NodeRecord> nodes = store.loadRun(runId).orElseThrow().nodes().stream().filter(n -> n.wave() == 2).toList();
        assertTrue(nodes.stream().filter(n -> claim.batch().instanceIds().contains(n.instanceId()))
                .allMatch(n -> n.status() == NodeStatus.SENT && "cmd-22".equals(n.commandId())), "read as SENT");
        assertTrue(nodes.stream().filter(n -> !claim.batch().instanceIds().contains(n.instanceId()))
                .allMatch(n -> n.status() == NodeStatus.PLANNED), "the other batch is untouched");
    }

    @Test
    void aBatchsCommandIsRecordedInOneTransactionWithoutWritingItsNodes() {
        RequestCounter calls = new RequestCounter();
        DynamoRunStore counted = new DynamoRunStore(DynamoDbLocal.newClient(calls), store.tableName(), clock,
                Duration.ofDays(90));
        List<String> batch1 = plan.wave(2).subList(0, 50);
        List<String> batch2 = plan.wave(2).subList(50, 60);
        counted.claimBatch(runId, Phase.MAIN, 2, 1, "attempt-1");
        counted.claimBatch(runId, Phase.MAIN, 2, 2, "attempt-1");
        calls.reset();

        counted.recordBatchSent(new CommandRecord("cmd-21", runId, Phase.MAIN, 2, 1, "token-2", T0), "attempt-1");

        assertEquals(Map.of("TransactWriteItems", 1), calls.counts(), "the batch and its command at once, no node");
        assertTrue(store.nodes(runId, Phase.MAIN, 2).stream().allMatch(n -> n.status() == NodeStatus.PLANNED),
                "the stored nodes are left as they were");
        // The result of one node of batch 2 overtakes the recording of its send.
        store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, 2, batch2.get(3), NodeStatus.SUCCEEDED));
        counted.recordBatchSent(new CommandRecord("cmd-22", runId, Phase.MAIN, 2, 2, "token-2", T0), "attempt-1");

        Map<String, NodeRecord> nodes = new HashMap<>();
        store.loadRun(runId).orElseThrow().nodes(Phase.MAIN).stream().filter(n -> n.wave() == 2)
                .forEach(n -> nodes.put(n.instanceId(), n));
        batch1.forEach(id -> assertEquals(NodeStatus.SENT, nodes.get(id).status(), id));
        assertEquals("cmd-21", nodes.get(batch1.get(0)).commandId());
        assertEquals(NodeStatus.SUCCEEDED, nodes.get(batch2.get(3)).status(), "a result is never read as SENT");
        batch2.stream().filter(id -> !id.equals(batch2.get(3)))
                .forEach(id -> assertEquals(NodeStatus.SENT, nodes.get(id).status(), id));
        assertEquals("cmd-22", nodes.get(batch2.get(0)).commandId());
    }

    @Test
    void recordingTheSameCommandTwiceIsHarmlessAndKeepsNodesThatMovedOn() {
        store.claimBatch(runId, Phase.MAIN, 1, 1, "attempt-1");
        CommandRecord command = new CommandRecord("cmd-11", runId, Phase.MAIN, 1, 1, "token-1", T0);
        store.recordBatchSent(command, "attempt-1");
        store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, 1, plan.wave(1).get(0), NodeStatus.SUCCEEDED));

        store.recordBatchSent(command, "attempt-1");

        List<NodeRecord> wave1 = store.loadRun(runId).orElseThrow().nodes().stream().filter(n -> n.wave() == 1).toList();
        assertEquals(NodeStatus.SUCCEEDED, wave1.get(0).status());
        assertEquals(NodeStatus.SENT, wave1.get(1).status());
    }

    @Test
    void aClaimLeftWithoutACommandIdIsInDoubtForTheNextAttempt() {
        clock.advance(Duration.ofSeconds(10));
        store.claimBatch(runId, Phase.MAIN, 1, 1, "attempt-1");
        clock.advance(Duration.ofMinutes(2));

        BatchClaim next = store.claimBatch(runId, Phase.MAIN, 1, 1, "attempt-2");

        assertEquals(BatchClaim.Outcome.IN_DOUBT, next.outcome());
        assertEquals("attempt-1", next.previousAttemptId());
        assertEquals(T0.plusSeconds(10), next.previousClaimedAt());
        assertEquals("attempt-2", next.batch().attemptId(), "the claim is now the new attempt's");
        // The earlier attempt cannot record a command any more; the new one can.
        CommandRecord late = new CommandRecord("cmd-late", runId, Phase.MAIN, 1, 1, "token-1", T0);
        var e = assertThrows(IllegalStateException.class, () -> store.recordBatchSent(late, "attempt-1"));
        assertTrue(e.getMessage().contains("attempt-2") && e.getMessage().contains("cmd-late"), e.getMessage());
        store.recordBatchSent(new CommandRecord("cmd-new", runId, Phase.MAIN, 1, 1, "token-1", T0), "attempt-2");
        assertEquals("cmd-new", store.claimBatch(runId, Phase.MAIN, 1, 1, "attempt-3").commandId());
    }

    @Test
    void claimingABatchThatWasNeverPlannedSaysSo() {
        var e = assertThrows(IllegalStateException.class, () -> store.claimBatch(runId, Phase.MAIN, 1, 7, "attempt-1"));
        assertTrue(e.getMessage().contains("main/1/7"), e.getMessage());
    }

    private void completeWave(int wave) {
        for (String id : plan.wave(wave)) {
            store.recordNodeStatus(NodeUpdate.of(runId, Phase.MAIN, wave, id, NodeStatus.SUCCEEDED));
        }
    }

    /** Starts {@code threads} claims at once; returns how many won. */
    private int claimConcurrently(String token, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Boolean> claim = () -> {
                    ready.countDown();
                    go.await();
                    return store.claimWaveCompletion(runId, Phase.MAIN, 1, token);
                };
                results.add(pool.submit(claim));
            }
            ready.await();
            go.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get() ? 1 : 0;
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }
}
