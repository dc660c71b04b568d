package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorPolicyTest {

    private static final Set<NodeStatus> ALWAYS = Set.of(NodeStatus.FAILED, NodeStatus.TIMED_OUT);
    private static final Set<NodeStatus> UNREACHABLE = Set.of(NodeStatus.UNDELIVERABLE, NodeStatus.DELIVERY_TIMED_OUT);

    @ParameterizedTest
    @EnumSource(NodeStatus.class)
    void failuresAndTimeoutsAlwaysCountUnreachableNodesOnlyWhenAsked(NodeStatus s) {
        assertEquals(ALWAYS.contains(s) || UNREACHABLE.contains(s), new ErrorPolicy(true).countsAsError(s), s.name());
        assertEquals(ALWAYS.contains(s), new ErrorPolicy(false).countsAsError(s), s.name());
    }

    @Test
    void errorsAddsUpTheCountingStatuses() {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        counts.put(NodeStatus.SUCCEEDED, 10);
        counts.put(NodeStatus.FAILED, 2);
        counts.put(NodeStatus.TIMED_OUT, 1);
        counts.put(NodeStatus.UNDELIVERABLE, 3);
        counts.put(NodeStatus.CANCELLED, 4);
        assertEquals(6, new ErrorPolicy(true).errors(counts));
        assertEquals(3, new ErrorPolicy(false).errors(counts));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"true", "TRUE", " True "})
    void settingDefaultsToCountingUnreachableNodes(String value) {
        assertTrue(ErrorPolicy.fromSetting(value).countUnreachable());
    }

    @Test
    void settingFalseTurnsItOffAndOtherValuesAreRejected() {
        assertEquals(new ErrorPolicy(false), ErrorPolicy.fromSetting("false"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ErrorPolicy.fromSetting("yes"));
        assertTrue(e.getMessage().contains("FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS"), e.getMessage());
    }
}
