package dev.fleetrun.local.ssm;

/**
 * One invocation on its way through the simulation: waiting for a concurrency slot, queued on its
 * node, started there (InProgress: running, rebooting, or holding its result while the node is
 * offline), or done. Guarded by the simulated SSM's lock.
 */
final class Delivery {
    enum Phase {
        /** Not sent yet: waits for a concurrency slot and for its node to be reachable. */
        WAITING,
        /** Sent to the node (holds a slot); waits for the node to take it up. */
        QUEUED,
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
