package dev.fleetrun.local.ssm;

/**
 * One invocation on its way through the simulation: waiting for a concurrency slot, queued on its
 * node (or delayed, SSM retrying a failed delivery), started there (InProgress: running, rebooting, or holding its result while the node is
 * offline), or done. Guarded by the simulated SSM's lock.
 */
final class Delivery {
    enum Phase {
        /** Not sent yet: waits for a concurrency slot and for its node to be reachable. */
        WAITING,
        /** Sent to the node (holds a slot); waits for the node to take it up. */
        QUEUED,
        /** A send attempt failed (holds its slot); SSM tries again after a while: Delayed. */
        DELAYED,
        /** The node took it up: InProgress. */
        STARTED,
        /** Terminal; nothing moves it any more. */
        DONE
    }

    final CommandRun run;
    final SsmInvocation invocation;
    Phase phase = Phase.WAITING;
    /** CancelCommand asked to stop it while it was started. */
    boolean cancelRequested;
    /** The script running for it now, if any. */
    ScriptProcess process;
    /** Failed attempts to deliver it (a node whose profile refuses deliveries). */
    int failedAttempts;
    /** Steps that ended while the node could not report them; reported when it can. */
    final java.util.List<StepResult> unreported = new java.util.ArrayList<>();

    Delivery(CommandRun run, SsmInvocation invocation) {
        this.run = run;
        this.invocation = invocation;
    }

    String instanceId() {
        return invocation.instanceId();
    }

    boolean done() {
        return phase == Phase.DONE;
    }

    /** Whether a node running it should stop: it was closed from outside, or cancelled. */
    boolean interrupted() {
        return phase == Phase.DONE || cancelRequested;
    }

    @Override
    public String toString() {
        return run.command().commandId() + " on " + instanceId() + " (" + phase + ")";
    }
}
