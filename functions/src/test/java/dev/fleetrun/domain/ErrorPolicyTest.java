package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorPolicyTest {

    private static final Set<NodeStatus> ALWAYS = Set.of(NodeStatus.FAILED, NodeStatus.TIMED_OUT);
    private static final Set<NodeStatus> UNREACHABLE = Set.of(NodeStatus.UNDELIVERABLE, NodeStatus.DELIVERY_TIMED_OUT);

    @ParameterizedTest
    @EnumSource(NodeStatus.class)
    void failuresAndTimeoutsAlwaysCountUnreachableNodesOnlyWhenAsked(NodeStatus s) {
        assertEquals(ALWAYS.contains(s) || UNREACHABLE.contains(s), new ErrorPolicy(true).countsAsError(s), s.name());
        assertEquals(ALWAYS.contains(s), new ErrorPolicy(false).countsAsError(s), s.name());
    }
}
