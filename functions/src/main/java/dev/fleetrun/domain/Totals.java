package dev.fleetrun.domain;

import java.util.Map;

/**
 * A run's node counts as the run summary reports them ({@code totals} in the execution output).
 *
 * @param targeted  every node the run planned to send to: every status but SKIPPED
 * @param succeeded SUCCEEDED
 * @param failed    FAILED and UNDELIVERABLE
 * @param timedOut  TIMED_OUT and DELIVERY_TIMED_OUT
 * @param cancelled CANCELLED, TERMINATED and NOT_RUN: nodes that never finished because the run stopped
 * @param skipped   SKIPPED: left out at planning
 */
public record Totals(int targeted, int succeeded, int failed, int timedOut, int cancelled, int skipped) {

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
                count(counts, NodeStatus.CANCELLED) + count(counts, NodeStatus.TERMINATED) + count(counts, NodeStatus.NOT_RUN),
                count(counts, NodeStatus.SKIPPED));
    }

    private static int count(Map<NodeStatus, Integer> counts, NodeStatus s) {
        Integer n = counts.get(s);
        return n == null ? 0 : n;
    }
}
