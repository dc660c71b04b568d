package dev.fleetrun.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.Batch;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.Rate;
import dev.fleetrun.domain.RollbackScope;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.domain.Wave;
import dev.fleetrun.domain.WavePlan;
import dev.fleetrun.domain.WavePlanner;
import dev.fleetrun.domain.WaveSize;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * After a breach: picks the nodes to roll back (those where the command succeeded, or every node the
 * command reached when the request says {@code "scope": "touched"}) and records them as the rollback
 * phase's waves, at the run's concurrency, and bounds their waits as StartRun bounds the main waves'. The
 * waves then go through the same send/wait path.
 */
public final class RollbackPlanner {
    /** Nodes the command reached: everything but never-sent, skipped, and cancelled-before-start. */
    static final Set<NodeStatus> TOUCHED = EnumSet.of(NodeStatus.SENT, NodeStatus.IN_PROGRESS, NodeStatus.SUCCEEDED,
            NodeStatus.FAILED, NodeStatus.TIMED_OUT, NodeStatus.DELIVERY_TIMED_OUT, NodeStatus.CANCELLED);

    private final Services services;

    public RollbackPlanner(Services services) {
        this.services = services;
    }

    public ObjectNode plan(RunState state) {
        String runId = state.runId();
        RunView view = services.store().loadRun(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no record"));
        RunRecord run = view.run();
        RunRequest request = StoredRequest.of(run);
        ObjectNode s = state.json();
        s.put("bakeSeconds", 0).put("approvalRequired", false);
        if (request.rollback() == null) {
            s.put("decision", "DONE").put("rollbackWaveCount", 0);
            return s;
        }
        Set<NodeStatus> wanted = request.rollback().scope() == RollbackScope.TOUCHED ? TOUCHED : EnumSet.of(NodeStatus.SUCCEEDED);
        List<String> ids = view.nodes(Phase.MAIN).stream()
                .filter(n -> wanted.contains(n.status())).map(NodeRecord::instanceId).sorted().toList();
        if (ids.isEmpty()) {
            s.put("decision", "DONE").put("rollbackWaveCount", 0);
            return s;
        }
        WavePlan plan = WavePlanner.plan(ids, List.of(new WaveSize(100, true)), new Rate(run.concurrency(), false));
        Instant now = services.clock().instant();
        List<WaveRecord> waves = new ArrayList<>();
        List<BatchRecord> batches = new ArrayList<>();
        List<NodeRecord> nodes = new ArrayList<>();
        for (Wave w : plan.waves()) {
            List<Batch> wb = WavePlanner.batches(w);
            waves.add(WaveRecord.planned(Phase.ROLLBACK, w.number(), w.instanceIds().size(), w.concurrency(), wb.size()));
            for (Batch b : wb) {
                batches.add(BatchRecord.planned(Phase.ROLLBACK, w.number(), b.number(), b.instanceIds(), b.concurrency()));
            }
            for (String id : w.instanceIds()) {
                nodes.add(NodeRecord.planned(runId, now, Phase.ROLLBACK, w.number(), id));
            }
        }
        services.store().planRollback(runId, waves, batches, nodes);
        // Rollback waves are as large as 50 x the concurrency, so they may take more rounds than any main wave did.
        int waitTimeout = SsmTiming.waitTimeoutSeconds(services.config().deliveryTimeoutSeconds(),
                batches.stream().map(b -> new SsmTiming.Command(b.instanceIds().size(), b.concurrency())).toList(),
                WaveSender.document(run, Phase.ROLLBACK).runSeconds(request.timeoutSeconds()));
        state.waitBounds(waitTimeout, services.config().heartbeatSeconds());
        s.put("decision", "ROLLBACK").put("rollbackWaveCount", plan.waves().size());
        state.cursor(Phase.ROLLBACK, 1);
        return s;
    }
}
