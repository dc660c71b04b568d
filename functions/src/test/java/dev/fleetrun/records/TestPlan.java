package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A small run plan for tests: main-phase waves of given nodes, 50 nodes a batch, skipped nodes in
 * wave 0. Built the way StartRun builds one, without the domain planner.
 */
record TestPlan(RunRecord run, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {

    static final int BATCH_SIZE = 50;

    /** Waves of the given sizes, nodes named {@code i-<runId>-<n>}. */
    static TestPlan of(String runId, Instant createdAt, int... waveSizes) {
        List<List<String>> waves = new ArrayList<>();
        int next = 0;
        for (int size : waveSizes) {
            int first = next;
            waves.add(IntStream.range(first, first + size).mapToObj(n -> "i-" + runId + "-" + n).toList());
            next += size;
        }
        return of(runId, createdAt, waves, List.of(), "");
    }

    static TestPlan of(String runId, Instant createdAt, List<List<String>> waveNodes, List<String> skipped,
                       String skipReason) {
        List<WaveRecord> waves = new ArrayList<>();
        List<BatchRecord> batches = new ArrayList<>();
        List<NodeRecord> nodes = new ArrayList<>();
        addPhase(runId, createdAt, Phase.MAIN, waveNodes, waves, batches, nodes);
        skipped.forEach(id -> nodes.add(NodeRecord.skipped(runId, createdAt, id, skipReason)));
        int targeted = nodes.size();
        RunRecord run = RunRecord.started(runId, "test " + runId, "{\"name\":\"test " + runId + "\",\"commands\":[\"uptime\"]}",
                "{}", executionArn(runId), createdAt, waves.size(), targeted, 10, 2);
        return new TestPlan(run, waves, batches, nodes);
    }

    /** The rollback phase's plan over these nodes, one wave. */
    static TestPlan rollback(RunRecord run, List<String> instanceIds) {
        List<WaveRecord> waves = new ArrayList<>();
        List<BatchRecord> batches = new ArrayList<>();
        List<NodeRecord> nodes = new ArrayList<>();
        addPhase(run.runId(), run.createdAt(), Phase.ROLLBACK, List.of(instanceIds), waves, batches, nodes);
        return new TestPlan(run, waves, batches, nodes);
    }

    static String executionArn(String runId) {
        return "arn:aws:states:us-east-1:123456789012:execution:fleetrun:" + runId;
    }

    boolean create(RunStore store) {
        return store.createRun(run, waves, batches, nodes);
    }

    String runId() {
        return run.runId();
    }

    /** The instance ids of one main-phase wave. */
    List<String> wave(int wave) {
        return nodes.stream().filter(n -> n.phase() == Phase.MAIN && n.wave() == wave).map(NodeRecord::instanceId).toList();
    }

    List<String> instanceIds() {
        return nodes.stream().map(NodeRecord::instanceId).toList();
    }

    private static void addPhase(String runId, Instant createdAt, Phase phase, List<List<String>> waveNodes,
                                 List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes) {
        for (int w = 1; w <= waveNodes.size(); w++) {
            List<String> ids = waveNodes.get(w - 1);
            int batchCount = (ids.size() + BATCH_SIZE - 1) / BATCH_SIZE;
            waves.add(WaveRecord.planned(phase, w, ids.size(), Math.min(ids.size(), 10), batchCount));
            for (int b = 0; b < batchCount; b++) {
                batches.add(BatchRecord.planned(phase, w, b + 1,
                        ids.subList(b * BATCH_SIZE, Math.min(ids.size(), (b + 1) * BATCH_SIZE)), 1));
            }
            for (String id : ids) {
                nodes.add(NodeRecord.planned(runId, createdAt, phase, w, id));
            }
        }
    }
}
