package dev.fleetrun.domain;

import java.util.Map;

/**
 * A run's node counts as the run summary reports them ({@code totals} in the run record's summary, the
 * {@code Fleetrun Run Finished} event and the alert).
 *
 * @param targeted  every node the run planned to send to: every status but SKIPPED
 * @param succeeded SUCCEEDED
 * @param failed    FAILED and UNDELIVERABLE
 * @param timedOut  TIMED_OUT and DELIVERY_TIMED_OUT
 * @param cancelled CANCELLED and TERMINATED: sent, then cancelled (by a stop, a workflow error, or SSM's own budget)
 * @param notRun    NOT_RUN: never sent, because the run breached, failed or was stopped before their wave
 * @param skipped   SKIPPED: left out at planning
 */
public record Totals(int targeted, int succeeded, int failed, int timedOut, int cancelled, int notRun, int skipped) {

    /** Totals of {@code counts}, status to number of nodes; a missing or {@code null} count is 0. */
    public static Totals from(Map<NodeStatus, Integer> counts) {
        int targeted = 0;
        for (NodeStatus s : NodeStatus.values()) {
            if (s != NodeStatus.SKIPPED) {
                targeted += count(counts, s);
            }
        }
        return new Totals(targeted,
                count(counts, NodeStatus.SUCCEEDED),
                count(counts, NodeStatus.FAILED) + count(counts, NodeStatus.UNDELIVERABLE),
                count(counts, NodeStatus.TIMED_OUT) + count(counts, NodeStatus.DELIVERY_TIMED_OUT),
                count(counts, NodeStatus.CANCELLED) + count(counts, NodeStatus.TERMINATED),
                count(counts, NodeStatus.NOT_RUN),
                count(counts, NodeStatus.SKIPPED));
    }

    /** Nodes that ran and did not succeed: failed or timed out. */
    public int unsuccessful() {
        return failed + timedOut;
    }

    private static int count(Map<NodeStatus, Integer> counts, NodeStatus s) {
        Integer n = counts.get(s);
        return n == null ? 0 : n;
    }
}
