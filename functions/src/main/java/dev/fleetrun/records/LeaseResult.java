package dev.fleetrun.records;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of taking or renewing leases.
 *
 * @param leased    how many leases the run holds from this call (0 when an acquisition conflicted)
 * @param conflicts the nodes held by other runs; empty when every lease was taken
 */
public record LeaseResult(int leased, List<LeaseConflict> conflicts) {

    public LeaseResult {
        conflicts = List.copyOf(conflicts);
    }

    public boolean acquired() {
        return conflicts.isEmpty();
    }

    /** One line naming every conflict, for a CONFLICT outcome's cause. */
    public String describeConflicts() {
        return conflicts.stream().map(LeaseConflict::describe).collect(Collectors.joining("; "));
    }
}
