package dev.fleetrun.testing;

import java.time.Instant;

/**
 * The state of one command on one node, as {@code ListCommandInvocations} and
 * {@code GetCommandInvocation} report it. Mutable; only {@link FakeSsm} touches it, under its lock.
 */
final class SsmInvocation {
    private final String instanceId;
    private InvocationOutcome outcome = new InvocationOutcome("Pending", "Pending", -1, "", "");
    private Instant executionStart;
    private Instant executionEnd;
    private Instant updatedAt;

    SsmInvocation(String instanceId, Instant requestedAt) {
        this.instanceId = instanceId;
        this.updatedAt = requestedAt;
    }

    /** Moves the invocation; start and end times follow the status as the agent would report them. */
    void apply(InvocationOutcome next, Instant now) {
        boolean ran = next.responseCode() != -1 || "InProgress".equals(next.status());
        if (ran && executionStart == null) {
            executionStart = now;
        }
        executionEnd = next.terminal() && ran ? now : null;
        outcome = next;
        updatedAt = now;
    }

    String instanceId() {
        return instanceId;
    }

    InvocationOutcome outcome() {
        return outcome;
    }

    String status() {
        return outcome.status();
    }

    String statusDetails() {
        return outcome.statusDetails();
    }

    boolean terminal() {
        return outcome.terminal();
    }

    /** Null until the script started. */
    Instant executionStart() {
        return executionStart;
    }

    /** Null until the script finished. */
    Instant executionEnd() {
        return executionEnd;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
