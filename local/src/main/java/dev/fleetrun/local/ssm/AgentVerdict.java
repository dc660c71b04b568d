package dev.fleetrun.local.ssm;

/**
 * What the SSM Agent makes of a script's exit code on Linux and macOS
 * (amazon-ssm-agent {@code pluginutil_unix.go} {@code GetStatus}; shared/reference/ssm-run-command.md §3.4):
 * <ul>
 *   <li>0: Success;</li>
 *   <li>194: reboot the node and run the script again ({@link #REBOOT}; the invocation stays InProgress);</li>
 *   <li>137 (the agent's own SIGKILL at the execution timeout; a script exiting 137 is taken for it too):
 *       TimedOut / ExecutionTimedOut;</li>
 *   <li>168: Success (the step asks to skip the remaining steps); 169: Failed (same, failing);</li>
 *   <li>anything else: Failed.</li>
 * </ul>
 */
final class AgentVerdict {
    static final int REBOOT = 194;
    static final int KILLED = 137;
    static final int EXIT_WITH_SUCCESS = 168;

    private AgentVerdict() {
    }

    static boolean asksForReboot(int exitCode) {
        return exitCode == REBOOT;
    }

    /** The outcome of a script that ran to its end with {@code exitCode} (not 194). */
    static InvocationOutcome of(int exitCode, String stdout, String stderr) {
        if (exitCode == 0 || exitCode == EXIT_WITH_SUCCESS) {
            return new InvocationOutcome("Success", "Success", exitCode, stdout, stderr);
        }
        if (exitCode == KILLED) {
            return executionTimedOut(stdout, stderr);
        }
        return new InvocationOutcome("Failed", "Failed", exitCode, stdout, stderr);
    }

    /** The agent killed the script at its execution timeout. */
    static InvocationOutcome executionTimedOut(String stdout, String stderr) {
        return new InvocationOutcome("TimedOut", "ExecutionTimedOut", KILLED, stdout, stderr);
    }

    /** The script was stopped by CancelCommand; the agent reports a cancelled plugin with code 1. */
    static InvocationOutcome cancelled(String stdout, String stderr) {
        return new InvocationOutcome("Cancelled", "Cancelled", 1, stdout, stderr);
    }
}
