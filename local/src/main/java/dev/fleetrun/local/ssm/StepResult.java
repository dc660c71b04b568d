package dev.fleetrun.local.ssm;

import java.time.Instant;

/**
 * What one step (plugin) of a document did on one node: the value ListCommandInvocations shows as a
 * {@code CommandPlugin} and GetCommandInvocation as the invocation of {@code PluginName}, and what an
 * output sink takes once the step has ended (stdout and stderr complete, as the node wrote them).
 *
 * <p>Status is one of CommandPluginStatus: Pending, InProgress, Success, TimedOut, Cancelled, Failed.
 * A step the agent skips (precondition not met, plugin not for the platform, a prior step's exit
 * condition) is {@code Success} with ResponseCode 0 and the agent's reason as its output: the agent
 * counts a skipped step as a success, and SSM's model has no Skipped status.
 *
 * @param name         the step's name (PluginName)
 * @param action       its plugin, e.g. aws:runShellScript
 * @param responseCode the script's exit code; -1 while it has not run (or never will)
 * @param start        when it started, null before
 * @param end          when it ended, null before
 */
public record StepResult(String name, String action, String status, String statusDetails, int responseCode,
                         String stdout, String stderr, Instant start, Instant end) {

    public StepResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    static StepResult pending(String name, String action) {
        return new StepResult(name, action, "Pending", "Pending", -1, "", "", null, null);
    }

    static StepResult inProgress(String name, String action, Instant start) {
        return new StepResult(name, action, "InProgress", "InProgress", -1, "", "", start, null);
    }

    /** A step the agent skipped, with its reason as the output. */
    static StepResult skipped(String name, String action, String why, Instant now) {
        return new StepResult(name, action, "Success", "Success", 0, why, "", now, now);
    }

    public boolean terminal() {
        return InvocationOutcome.TERMINAL.contains(status);
    }

    /** Whether the step was skipped rather than run (it succeeded without a start of its own script). */
    boolean ran() {
        return responseCode != -1;
    }

    /** The step's CommandPluginStatus for an invocation status (CommandPluginStatus has no Delayed or Cancelling). */
    static String pluginStatus(String invocationStatus) {
        return switch (invocationStatus) {
            case "Delayed" -> "Pending";
            case "Cancelling" -> "InProgress";
            default -> invocationStatus;
        };
    }
}
