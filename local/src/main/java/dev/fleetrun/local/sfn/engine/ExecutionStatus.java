package dev.fleetrun.local.sfn.engine;

/** An execution's status, as DescribeExecution names it. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED;

    /** Whether the execution has ended. */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
