package dev.fleetrun.local.sfn.runtime;

import dev.fleetrun.local.sfn.history.ExecutionHistory;

/**
 * Everything one attempt of an execution shares: the engine's services, the execution's facts, its history,
 * its root cancellation scope, and how many times it was redriven ({@code $$.Execution.RedriveCount}) and
 * when last ({@code $$.Execution.RedriveTime}, {@code null} before its first redrive).
 */
public record ExecutionContext(EngineServices services, ExecutionInfo info, ExecutionHistory history,
                               CancellationScope scope, int redriveCount, java.time.Instant redriveTime) {

    /** An execution's first attempt. */
    public ExecutionContext(EngineServices services, ExecutionInfo info, ExecutionHistory history, CancellationScope scope) {
        this(services, info, history, scope, 0, null);
    }
}
