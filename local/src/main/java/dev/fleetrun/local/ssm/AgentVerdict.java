package dev.fleetrun.local.ssm;

/**
 * What the SSM Agent makes of a step's exit code (amazon-ssm-agent {@code pluginutil_unix.go} and
 * {@code pluginutil_windows.go} {@code GetStatus}, {@code runpluginutil.go}; shared/reference/ssm-run-command.md §3.4):
 * <ul>
 *   <li>0: Success;</li>
 *   <li>194 on Linux and macOS, 3010 on Windows: reboot the node and run the step again ({@link #rebootCode};
 *       the invocation stays InProgress);</li>
 *   <li>the agent's own kill at the execution timeout, 137 on Linux and macOS (a script exiting 137 is taken for
 *       it too), -1 on Windows: TimedOut / ExecutionTimedOut;</li>
 *   <li>168: Success, and the remaining steps are skipped; 169: Failed, and the same (the agent adds a line
 *       saying so to the step's output);</li>
 *   <li>anything else: Failed; with {@code onFailure: exit} the remaining steps are skipped, with
 *       {@code onFailure: successAndExit} the step is also reported Success with code 168.</li>
 * </ul>
 */
final class AgentVerdict {
    static final int REBOOT = 194;
    static final int WINDOWS_REBOOT = 3010;
    static final int KILLED = 137;
    static final int EXIT_WITH_SUCCESS = 168;
    static final int EXIT_WITH_FAILURE = 169;
    static final String EXITED_168 = "\nStep exited with code 168. Therefore, marking step as succeeded. Further document"
            + " steps will be skipped.";
    static final String EXITED_169 = "\nStep exited with code 169. Therefore, marking step as Failed. Further document"
            + " steps will be skipped.";
    static final String ON_FAILURE = "\nStep was found to have onFailure property. Further document steps will be"
            + " skipped.";

    private AgentVerdict() {
    }

    /** The exit code that asks the agent for a reboot on this platform. */
    static int rebootCode(String platformType) {
        return "Windows".equals(platformType) ? WINDOWS_REBOOT : REBOOT;
    }

    /** The exit code the agent reports for a script it killed at the execution timeout. */
    static int killedCode(String platformType) {
        return "Windows".equals(platformType) ? -1 : KILLED;
    }

    static boolean asksForReboot(int exitCode, String platformType) {
        return exitCode == rebootCode(platformType);
    }

    /** A step's result and whether it ends the document (its remaining steps are skipped, bar a finallyStep). */
    record Verdict(StepResult result, boolean exit) {
    }

    /** The verdict on a step whose script ran to its end with {@code exitCode} (not the reboot code). */
    static Verdict of(StepPlan step, int exitCode, String stdout, String stderr, String platformType,
                      java.time.Instant start, java.time.Instant end) {
        if (exitCode == 0) {
            return new Verdict(result(step, "Success", "Success", 0, stdout, stderr, start, end),
                    "exit".equals(step.onSuccess()));
        }
        if (exitCode == EXIT_WITH_SUCCESS) {
            return new Verdict(result(step, "Success", "Success", exitCode, stdout + EXITED_168, "", start, end), true);
        }
        if (exitCode == EXIT_WITH_FAILURE) {
            return new Verdict(result(step, "Failed", "Failed", exitCode, stdout + EXITED_169, stderr + EXITED_169,
                    start, end), true);
        }
        if (exitCode == killedCode(platformType)) {
            return new Verdict(result(step, "TimedOut", "ExecutionTimedOut", exitCode, stdout, stderr, start, end), false);
        }
        if ("exit".equals(step.onFailure())) {
            return new Verdict(result(step, "Failed", "Failed", exitCode, stdout + ON_FAILURE, stderr + ON_FAILURE,
                    start, end), true);
        }
        if ("successAndExit".equals(step.onFailure())) {
            return new Verdict(result(step, "Success", "Success", EXIT_WITH_SUCCESS, stdout + ON_FAILURE,
                    stderr + ON_FAILURE, start, end), true);
        }
        return new Verdict(result(step, "Failed", "Failed", exitCode, stdout, stderr, start, end), false);
    }

    /** The agent killed the step's script at its execution timeout. */
    static StepResult executionTimedOut(StepPlan step, String stdout, String stderr, String platformType,
                                        java.time.Instant start, java.time.Instant end) {
        return result(step, "TimedOut", "ExecutionTimedOut", killedCode(platformType), stdout, stderr, start, end);
    }

    /** The step's script was stopped by CancelCommand; the agent reports a cancelled plugin with code 1. */
    static StepResult cancelled(StepPlan step, String stdout, String stderr, java.time.Instant start,
                                java.time.Instant end) {
        return result(step, "Cancelled", "Cancelled", 1, stdout, stderr, start, end);
    }

    /** A step the agent failed without running it (exit code 1, as the agent reports a failed plugin with no code). */
    static StepResult failedToStart(StepPlan step, String why, java.time.Instant now) {
        return result(step, "Failed", "Failed", 1, "", why, now, now);
    }

    /**
     * The invocation's outcome from its steps, with the agent's precedence: Failed over TimedOut over
     * Cancelled over Success (a skipped step is a success). The exit code and output are those of the
     * step that decided it (for a success, the last step that ran, else the last step).
     */
    static InvocationOutcome rollUp(java.util.List<StepResult> steps, StepResult lastRun) {
        for (String status : java.util.List.of("Failed", "TimedOut", "Cancelled")) {
            for (StepResult step : steps) {
                if (status.equals(step.status())) {
                    return new InvocationOutcome(status, step.statusDetails(), step.responseCode(), step.stdout(),
                            step.stderr());
                }
            }
        }
        StepResult decisive = lastRun != null ? lastRun : steps.get(steps.size() - 1);
        return new InvocationOutcome("Success", "Success", decisive.responseCode(), decisive.stdout(), decisive.stderr());
    }

    private static StepResult result(StepPlan step, String status, String details, int code, String stdout,
                                     String stderr, java.time.Instant start, java.time.Instant end) {
        return new StepResult(step.name(), step.action(), status, details, code, stdout, stderr, start, end);
    }
}
