package dev.fleetrun.records;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import java.util.Objects;

/**
 * A node's new status with the detail that came with it (from an SSM event, from
 * GetCommandInvocation, or from fleetrun itself). Detail fields left null keep what the node
 * item holds.
 *
 * @param countsAsError whether the node counts against the run's error budget; decided by the
 *                      caller's error policy, only for terminal statuses of the main phase
 */
public record NodeUpdate(
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
        boolean countsAsError) {

    public NodeUpdate {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
        if (countsAsError && !status.isTerminal()) {
            throw new IllegalArgumentException("node " + instanceId + ": only a terminal status can count as an error, not "
                    + status);
        }
        if (countsAsError && phase != Phase.MAIN) {
            throw new IllegalArgumentException("node " + instanceId
                    + ": rollback nodes never count against maxErrors; pass countsAsError=false for phase " + phase.id());
        }
    }

    /** A status without detail (for example SENT or IN_PROGRESS from an event). */
    public static NodeUpdate of(String runId, Phase phase, int wave, String instanceId, NodeStatus status) {
        return new NodeUpdate(runId, phase, wave, instanceId, status, null, null, null, null, null, null, null, false);
    }

    /** A terminal status with the command's detail. */
    public static NodeUpdate terminal(String runId, Phase phase, int wave, String instanceId, NodeStatus status,
                                      String commandId, Integer responseCode, String statusDetails,
                                      boolean countsAsError) {
        return new NodeUpdate(runId, phase, wave, instanceId, status, commandId, responseCode, statusDetails,
                null, null, null, null, countsAsError);
    }

    public NodeUpdate withOutput(String outputExcerpt, String errorExcerpt, String outputUrl) {
        return new NodeUpdate(runId, phase, wave, instanceId, status, commandId, responseCode, statusDetails,
                outputExcerpt, errorExcerpt, outputUrl, reason, countsAsError);
    }

    public NodeUpdate withReason(String reason) {
        return new NodeUpdate(runId, phase, wave, instanceId, status, commandId, responseCode, statusDetails,
                outputExcerpt, errorExcerpt, outputUrl, reason, countsAsError);
    }
}
