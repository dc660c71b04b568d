package dev.fleetrun.records;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * A node item: one managed node in one phase of a run, with its latest status and the detail
 * SSM gave for it. Skipped nodes are wave 0 of the main phase.
 *
 * @param responseCode   the script's exit code, or null when none was reported
 * @param statusDetails  SSM's StatusDetails (for example {@code Success}, {@code Undeliverable})
 * @param outputExcerpt  the start of the standard output, as GetCommandInvocation gives it
 * @param errorExcerpt   the start of the standard error
 * @param outputUrl      where the full output is (S3 or CloudWatch Logs), or null
 * @param reason         why fleetrun set the status itself (skipped, not run), or null
 * @param runCreatedAt   when the run was created: orders the node's history across runs
 */
public record NodeRecord(
        String runId,
        Phase phase,
        int wave,
        String instanceId,
        NodeStatus status,
        String commandId,
        Integer responseCode,
        String statusDetails,
        String outputExcerpt,
        String errorExcerpt,
        String outputUrl,
        String reason,
        Instant updatedAt,
        Instant runCreatedAt) {

    public NodeRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(runCreatedAt, "runCreatedAt");
    }

    /** A node of a wave that has not been sent. */
    public static NodeRecord planned(String runId, Instant runCreatedAt, Phase phase, int wave, String instanceId) {
        return new NodeRecord(runId, phase, wave, instanceId, NodeStatus.PLANNED, null, null, null, null, null,
                null, null, runCreatedAt, runCreatedAt);
    }

    /** This node, PLANNED, as sent with {@code commandId} (its batch has the command; the node has no result yet). */
    NodeRecord sentWith(String commandId) {
        return new NodeRecord(runId, phase, wave, instanceId, NodeStatus.SENT, commandId, responseCode, statusDetails,
                outputExcerpt, errorExcerpt, outputUrl, reason, updatedAt, runCreatedAt);
    }

    /** A node left out at planning (offline, wrong platform, not managed): wave 0 of the main phase. */
    public static NodeRecord skipped(String runId, Instant runCreatedAt, String instanceId, String reason) {
        return new NodeRecord(runId, Phase.MAIN, 0, instanceId, NodeStatus.SKIPPED, null, null, null, null, null,
                null, reason, runCreatedAt, runCreatedAt);
    }
}
