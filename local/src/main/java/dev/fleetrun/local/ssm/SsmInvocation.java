package dev.fleetrun.local.ssm;

import java.time.Instant;

/**
 * The state of one command on one node, as {@code ListCommandInvocations} and
 * {@code GetCommandInvocation} report it. Mutable and not thread-safe: the service that owns it
 * moves it under its own lock.
 */
public final class SsmInvocation {
    private final String instanceId;
    private InvocationOutcome outcome = new InvocationOutcome("Pending", "Pending", -1, "", "");
    private Instant executionStart;
    private Instant executionEnd;
    private Instant updatedAt;

    public SsmInvocation(String instanceId, Instant requestedAt) {
        this.instanceId = instanceId;
        this.updatedAt = requestedAt;
    }

    /** Moves the invocation; start and end times follow the status as the agent would report them. */
    public void apply(InvocationOutcome next, Instant now) {
        boolean ran = next.responseCode() != -1 || "InProgress".equals(next.status());
        if (ran && executionStart == null) {
            executionStart = now;
        }
        executionEnd = next.terminal() && ran ? now : null;
        outcome = next;
        updatedAt = now;
    }

    public String instanceId() {
        return instanceId;
    }

    public InvocationOutcome outcome() {
        return outcome;
    }

    public String status() {
        return outcome.status();
    }

    public String statusDetails() {
        return outcome.statusDetails();
    }

    public boolean terminal() {
        return outcome.terminal();
    }

    /** Null until the script started. */
    public Instant executionStart() {
        return executionStart;
    }

    /** Null until the script finished. */
    public Instant executionEnd() {
        return executionEnd;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
