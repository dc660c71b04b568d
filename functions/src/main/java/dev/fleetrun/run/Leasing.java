package dev.fleetrun.run;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.LeaseResult;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A run holds a lease on every node it targets until it finishes, so that no other run starts on a
 * node mid-roll-out or before its rollback. Leases expire (a crashed run frees its nodes), so a run
 * renews them before a wave and before parking at its approval gate, except when the run's record
 * says they already last to within a tenth of a lease of what is asked: nobody else can take a lease
 * before it ends, so renewing it again buys nothing, and a run of many waves no longer rewrites every
 * lease at every wave.
 */
final class Leasing {
    private Leasing() {
    }

    /**
     * Makes sure the run's leases on all its targeted nodes last until {@code until}, or at least to within
     * a tenth of a lease of it; reports nodes another run took meanwhile (their leases had run out).
     */
    static LeaseResult renew(Services services, RunRecord run, Instant until) {
        Duration slack = services.config().lease().dividedBy(10);
        if (run.leasesUntil() != null && !run.leasesUntil().isBefore(until.minus(slack))) {
            return new LeaseResult(0, List.of());
        }
        List<String> ids = services.store().nodes(run.runId(), Phase.MAIN).stream()
                .filter(n -> n.status() != NodeStatus.SKIPPED).map(NodeRecord::instanceId).toList();
        LeaseResult result = services.store().renewLeases(run.runId(), run.executionArn(), ids, until);
        if (result.acquired()) {
            services.store().recordLeasesUntil(run.runId(), until);
        }
        return result;
    }
}
