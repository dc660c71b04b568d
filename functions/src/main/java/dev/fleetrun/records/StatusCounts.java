package dev.fleetrun.records;

import dev.fleetrun.domain.NodeStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many nodes have each status: the counters of a wave, and of each phase of a run. Zero counts
 * are left out, so two counts with the same figures are equal.
 */
public record StatusCounts(Map<NodeStatus, Integer> byStatus) {

    private static final StatusCounts EMPTY = new StatusCounts(Map.of());

    public StatusCounts {
        EnumMap<NodeStatus, Integer> copy = new EnumMap<>(NodeStatus.class);
        byStatus.forEach((status, count) -> {
            if (count < 0) {
                throw new IllegalArgumentException("count of " + status + " is negative: " + count);
            }
            if (count > 0) {
                copy.put(status, count);
            }
        });
        byStatus = Collections.unmodifiableMap(copy);
    }

    public static StatusCounts empty() {
        return EMPTY;
    }

    /** Counts the given statuses, one per element. */
    public static StatusCounts of(Iterable<NodeStatus> statuses) {
        EnumMap<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        for (NodeStatus status : statuses) {
            counts.merge(status, 1, Integer::sum);
        }
        return new StatusCounts(counts);
    }

    public int get(NodeStatus status) {
        return byStatus.getOrDefault(status, 0);
    }

    public int total() {
        return byStatus.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The counts of terminal statuses only. */
    public StatusCounts terminal() {
        EnumMap<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        byStatus.forEach((status, count) -> {
            if (status.isTerminal()) {
                counts.put(status, count);
            }
        });
        return new StatusCounts(counts);
    }
}
