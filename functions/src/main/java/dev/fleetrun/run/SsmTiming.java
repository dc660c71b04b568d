package dev.fleetrun.run;

import java.util.List;

/**
 * How long SSM may take over one command (docs/ssm reference, "Timeouts"). A command's {@code TimeoutSeconds}
 * is a delivery window counted from the request: a node still queued behind {@code MaxConcurrency} when it
 * passes never runs and ends {@code DeliveryTimedOut}; the command as a whole ends at {@code TimeoutSeconds}
 * plus the execution timeout ({@code ExpiresAfter}). A command to n nodes at concurrency c runs in ceil(n / c)
 * rounds of at most the execution timeout each, so its last round may only start after (rounds − 1) of them.
 */
final class SsmTiming {
    /** SSM's largest {@code TimeoutSeconds} (30 days). */
    static final int MAX_TIMEOUT_SECONDS = 2_592_000;
    /** Allowance on top of a wave's computed wait, for event delivery and Lambda latency. */
    static final int WAIT_GRACE_SECONDS = 120;

    private SsmTiming() {
    }

    /** One {@code SendCommand}: how many nodes it names and its {@code MaxConcurrency}. */
    record Command(int size, int concurrency) {
        Command {
            if (concurrency < 1) {
                throw new IllegalArgumentException("a command's concurrency is at least 1, not " + concurrency);
            }
        }

        /** How many rounds of its concurrency the command takes. */
        int rounds() {
            return (size + concurrency - 1) / concurrency;
        }
    }

    /**
     * The {@code TimeoutSeconds} to send with {@code command}: the delivery window plus the time the rounds
     * before its last one may take, so that no queued node misses its start; at most SSM's maximum.
     *
     * @param runSeconds the longest one node may run the document
     */
    static int sendTimeoutSeconds(int deliveryTimeoutSeconds, Command command, int runSeconds) {
        long seconds = deliveryTimeoutSeconds + (long) Math.max(0, command.rounds() - 1) * runSeconds;
        return (int) Math.min(MAX_TIMEOUT_SECONDS, seconds);
    }

    /**
     * The bound on one wave's wait, for the longest of {@code commands}: the delivery window plus all its rounds,
     * plus a grace. A rebooting node stays in progress within this bound; past it, Reconcile closes what is open.
     *
     * @param runSeconds the longest one node may run the document
     */
    static int waitTimeoutSeconds(int deliveryTimeoutSeconds, List<Command> commands, int runSeconds) {
        int rounds = 0;
        for (Command c : commands) {
            rounds = Math.max(rounds, c.rounds());
        }
        long seconds = deliveryTimeoutSeconds + (long) rounds * runSeconds + WAIT_GRACE_SECONDS;
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }
}
