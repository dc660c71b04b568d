package dev.fleetrun.cli;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.StatusCounts;
import dev.fleetrun.records.WaveRecord;
import java.util.ArrayList;
import java.util.List;

/** The tables fleetrun prints: a run's waves and totals, and a run's nodes. */
final class RunReport {
    private RunReport() {
    }

    /** One row per wave, then the totals and the rollback, as fixed-width text. */
    static List<String> waveTable(RunView view) {
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-10s %6s %9s %6s %9s %9s %9s", "WAVE", "NODES", "SUCCEEDED", "FAILED", "TIMED OUT", "CANCELLED", "NOT RUN"));
        for (WaveRecord w : view.waves(Phase.MAIN)) {
            rows.add(row("wave " + w.wave(), w.size(), w.counts()));
        }
        List<WaveRecord> rollback = view.waves(Phase.ROLLBACK);
        for (WaveRecord w : rollback) {
            rows.add(row("rollback " + w.wave(), w.size(), w.counts()));
        }
        // A closed run's PLANNED nodes were not run (one that failed on a workflow error keeps them for resume).
        boolean closed = view.run().status().isTerminal();
        StatusCounts main = StatusCounts.of(view.nodes(Phase.MAIN).stream()
                .map(NodeRecord::status).filter(s -> s != NodeStatus.SKIPPED)
                .map(s -> closed && s == NodeStatus.PLANNED ? NodeStatus.NOT_RUN : s).toList());
        rows.add(row("total", main.total(), main));
        long skipped = view.nodes(Phase.MAIN).stream().filter(n -> n.status() == NodeStatus.SKIPPED).count();
        if (skipped > 0) {
            rows.add("skipped: " + skipped + " node(s) not sent (offline, wrong platform or unknown to SSM)");
        }
        return rows;
    }

    private static String row(String label, int size, StatusCounts c) {
        return String.format("%-10s %6d %9d %6d %9d %9d %9d", label, size, c.get(NodeStatus.SUCCEEDED),
                c.get(NodeStatus.FAILED) + c.get(NodeStatus.UNDELIVERABLE),
                c.get(NodeStatus.TIMED_OUT) + c.get(NodeStatus.DELIVERY_TIMED_OUT),
                c.get(NodeStatus.CANCELLED) + c.get(NodeStatus.TERMINATED), c.get(NodeStatus.NOT_RUN));
    }

    /** Why a node in this status has no exit code, in words (a cancelled command's process never reported one). */
    static String whyNoExitCode(NodeStatus status) {
        return switch (status) {
            case CANCELLED, TERMINATED -> "no exit code: cancelled before its command ended";
            case NOT_RUN -> "no exit code: never sent (the run stopped before its wave)";
            case SKIPPED -> "no exit code: never sent";
            case UNDELIVERABLE, DELIVERY_TIMED_OUT -> "no exit code: the command never ran on the node";
            case TIMED_OUT -> "no exit code: stopped at its timeout";
            default -> "";
        };
    }

    /** One row per node of a phase. */
    static List<String> nodeTable(List<NodeRecord> nodes) {
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-20s %-9s %-5s %-19s %5s  %s", "INSTANCE", "PHASE", "WAVE", "STATUS", "EXIT", "DETAIL"));
        for (NodeRecord n : nodes) {
            String detail = n.reason() != null ? n.reason() : n.statusDetails() != null ? n.statusDetails() : "";
            if (n.responseCode() == null && detail.isEmpty()) {
                detail = whyNoExitCode(n.status());
            }
            rows.add(String.format("%-20s %-9s %-5s %-19s %5s  %s", n.instanceId(), n.phase().id(),
                    n.wave() == 0 ? "-" : Integer.toString(n.wave()), n.status(),
                    n.responseCode() == null ? "-" : n.responseCode().toString(), detail));
        }
        return rows;
    }
}
