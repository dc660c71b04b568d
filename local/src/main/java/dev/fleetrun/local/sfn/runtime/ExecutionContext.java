package dev.fleetrun.local.sfn.runtime;

import dev.fleetrun.local.sfn.history.ExecutionHistory;

/**
 * Everything one execution's states share: the engine's services, the execution's facts, its history and
 * its root cancellation scope.
 */
public record ExecutionContext(EngineServices services, ExecutionInfo info, ExecutionHistory history,
                               CancellationScope scope) {
}
