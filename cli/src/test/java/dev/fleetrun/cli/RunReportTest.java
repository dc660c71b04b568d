package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.NodeRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {
    private static final Instant T = Instant.parse("2026-12-08T00:00:00Z");

    private static NodeRecord node(String id, NodeStatus status, Integer code, String details) {
        return new NodeRecord("run-1", Phase.MAIN, 1, id, status, "c-1", code, details, null, null, null, null, T, T);
    }

    @Test
    void aNodeWithNoExitCodeShowsADashAndWhyThereIsNone() {
        List<String> rows = RunReport.nodeTable(List.of(
                node("i-1", NodeStatus.CANCELLED, null, null),
                node("i-2", NodeStatus.NOT_RUN, null, null),
                node("i-3", NodeStatus.CANCELLED, 143, "Cancelled"),
                node("i-4", NodeStatus.SUCCEEDED, 0, "Success")));
        assertEquals("i-1                  main      1     CANCELLED               -  no exit code: cancelled before its command ended", rows.get(1));
        assertEquals("i-2                  main      1     NOT_RUN                 -  no exit code: never sent (the run stopped before its wave)", rows.get(2));
        assertEquals("i-3                  main      1     CANCELLED             143  Cancelled", rows.get(3));
        assertEquals("i-4                  main      1     SUCCEEDED               0  Success", rows.get(4));
    }
}
