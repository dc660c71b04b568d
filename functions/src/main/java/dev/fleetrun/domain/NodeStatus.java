package dev.fleetrun.domain;

/**
 * What fleetrun knows about one node in one phase of a run. A status only moves forward:
 * {@link #canMoveTo} is the single rule, used by the records and by every handler.
 */
public enum NodeStatus {
    /** In a wave that has not been sent yet. */
    PLANNED(0, false),
    /** SendCommand accepted the node; no status reported yet. */
    SENT(1, false),
    /** SSM reports Pending, InProgress, Delayed or Cancelling (a rebooting node stays here). */
    IN_PROGRESS(2, false),
    SUCCEEDED(3, true),
    /** The command exited non-zero. */
    FAILED(3, true),
    /** The document's execution timeout killed the command (SSM ExecutionTimedOut). */
    TIMED_OUT(3, true),
    /** No terminal reply before SSM's delivery deadline (SSM DeliveryTimedOut): the script may or may not have run. */
    DELIVERY_TIMED_OUT(3, true),
    /** SSM could not deliver the command (Undeliverable, InvalidPlatform, AccessDenied). */
    UNDELIVERABLE(3, true),
    CANCELLED(3, true),
    /** SSM cancelled the invocation before it started because the command's MaxErrors was exceeded. */
    TERMINATED(3, true),
    /** Never sent: its wave did not start because the run breached, failed or was stopped. */
    NOT_RUN(3, true),
    /** Left out at planning: offline, wrong platform or not a managed node. Never sent. */
    SKIPPED(3, true);

    private final int rank;
    private final boolean terminal;

    NodeStatus(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** Position in the forward-only order: PLANNED 0, SENT 1, IN_PROGRESS 2, every terminal status 3. */
    public int rank() {
        return rank;
    }

    /** A status may only be replaced by one of higher rank: a terminal status is final. */
    public boolean canMoveTo(NodeStatus next) {
        return next.rank > this.rank;
    }
}
