package dev.fleetrun.local.sfn.errors;

/**
 * Thrown inside a run that was stopped from outside: the execution was stopped (StopExecution), timed out,
 * or a sibling branch of a Parallel or Map failed. It is not an {@link AslError}, so no retrier or catcher
 * sees it; it unwinds the states that were running, which record their {@code ...Aborted} events.
 */
public final class ExecutionCancelled extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExecutionCancelled(String reason) {
        super(reason, null, false, false);
    }
}
