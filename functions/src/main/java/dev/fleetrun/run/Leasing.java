package dev.fleetrun.run;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.LeaseResult;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import java.time.Instant;
import java.util.List;

/**
 * A run holds a lease on every node it targets until it finishes, so that no other run starts on a
 * node mid-roll-out or before its rollback. Leases expire (a crashed run frees its nodes), so a run
 * renews all of them before each wave and before parking at its approval gate.
 */
final class Leasing {
    private Leasing() {
    }

    /** Renews the run's leases on all its targeted nodes until {@code until}; reports nodes another run took meanwhile. */
    static LeaseResult renew(Services services, RunRecord run, Instant until) {
        List<String> ids = services.store().nodes(run.runId(), Phase.MAIN).stream()
                .filter(n -> n.status() != NodeStatus.SKIPPED).map(NodeRecord::instanceId).toList();
        return services.store().renewLeases(run.runId(), run.executionArn(), ids, until);
    }
}
