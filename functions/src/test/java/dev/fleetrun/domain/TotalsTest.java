package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TotalsTest {

    @Test
    void groupsEveryStatusAndLeavesSkippedOutOfTargeted() {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        int n = 1;
        for (NodeStatus s : NodeStatus.values()) {
            counts.put(s, n);   // distinct powers of two, so every sum below names its members
            n *= 2;
        }
        int planned = 1, sent = 2, inProgress = 4, succeeded = 8, failed = 16, timedOut = 32, deliveryTimedOut = 64;
        int undeliverable = 128, cancelled = 256, terminated = 512, notRun = 1024, skipped = 2048;

        Totals totals = Totals.from(counts);

        assertEquals(new Totals(
                planned + sent + inProgress + succeeded + failed + timedOut + deliveryTimedOut + undeliverable
                        + cancelled + terminated + notRun,
                succeeded,
                failed + undeliverable,
                timedOut + deliveryTimedOut,
                cancelled + terminated,
                notRun,
                skipped), totals);
    }

    @Test
    void missingAndNullCountsAreZero() {
        Map<NodeStatus, Integer> counts = new HashMap<>();
        counts.put(NodeStatus.SUCCEEDED, 3);
        counts.put(NodeStatus.FAILED, null);
        assertEquals(new Totals(3, 3, 0, 0, 0, 0, 0), Totals.from(counts));
        assertEquals(new Totals(0, 0, 0, 0, 0, 0, 0), Totals.from(Map.of()));
    }

    @Test
    void aRunWithOnlySkippedNodesTargetsNone() {
        assertEquals(new Totals(0, 0, 0, 0, 0, 0, 4), Totals.from(Map.of(NodeStatus.SKIPPED, 4)));
    }
}
