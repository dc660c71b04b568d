package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NodeStatusTest {

    @Test
    void movesForwardThroughPlannedSentInProgressToATerminalStatus() {
        List<NodeStatus> path = List.of(NodeStatus.PLANNED, NodeStatus.SENT, NodeStatus.IN_PROGRESS, NodeStatus.SUCCEEDED);
        for (int i = 0; i < path.size(); i++) {
            for (int j = 0; j < path.size(); j++) {
                assertEquals(j > i, path.get(i).canMoveTo(path.get(j)), path.get(i) + " -> " + path.get(j));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NodeStatus.class)
    void aTerminalStatusIsFinal(NodeStatus from) {
        for (NodeStatus to : NodeStatus.values()) {
            if (from.isTerminal()) {
                assertFalse(from.canMoveTo(to), from + " must not become " + to);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NodeStatus.class)
    void canMoveToIsMonotonicInRankAndNeverToItself(NodeStatus from) {
        assertFalse(from.canMoveTo(from));
        for (NodeStatus to : NodeStatus.values()) {
            assertEquals(to.rank() > from.rank(), from.canMoveTo(to), from + " -> " + to);
            if (from.canMoveTo(to)) {
                assertFalse(to.canMoveTo(from), "no way back from " + to + " to " + from);
            }
        }
    }

    @Test
    void aLateInProgressEventCannotOverwriteAFailure() {
        assertFalse(NodeStatus.FAILED.canMoveTo(NodeStatus.IN_PROGRESS));
        assertTrue(NodeStatus.SENT.canMoveTo(NodeStatus.FAILED));
        assertTrue(NodeStatus.PLANNED.canMoveTo(NodeStatus.NOT_RUN));
    }
}
