package dev.fleetrun.local.ssm;

import java.util.List;

/**
 * Where one command invocation stands: the coarse {@code Status}, the {@code StatusDetails} that
 * tells the reasons apart, the script's exit code ({@code ResponseCode}, -1 when the script never
 * ran) and its output (whole: the answer shapes truncate it as SSM does). The factories give the
 * combinations SSM reports (see shared/reference/ssm-run-command.md, section 3).
 */
public record InvocationOutcome(String status, String statusDetails, int responseCode, String stdout, String stderr) {
    /** SSM's CommandInvocationStatus values. */
    public static final List<String> STATUSES =
            List.of("Pending", "InProgress", "Delayed", "Success", "Cancelled", "TimedOut", "Failed", "Cancelling");
    public static final List<String> TERMINAL = List.of("Success", "Cancelled", "TimedOut", "Failed");

    public InvocationOutcome {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("'" + status + "' is not an SSM invocation Status; use one of " + STATUSES
                    + " and put the detail (Undeliverable, ExecutionTimedOut ...) in statusDetails");
        }
        if (statusDetails == null || statusDetails.isEmpty()) {
            throw new IllegalArgumentException("statusDetails must be given (e.g. the Status itself, or Undeliverable)");
        }
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    /** The script exited 0. */
    public static InvocationOutcome success(String stdout) {
        return new InvocationOutcome("Success", "Success", 0, stdout, "");
    }

    /** The script exited non-zero. */
    public static InvocationOutcome failed(int exitCode, String stderr) {
        return new InvocationOutcome("Failed", "Failed", exitCode, "", stderr);
    }

    /** The agent killed the script at its execution timeout (exit 137 on Linux); counts as an error. */
    public static InvocationOutcome executionTimedOut() {
        return new InvocationOutcome("TimedOut", "ExecutionTimedOut", 137, "", "");
    }

    /** No terminal reply before ExpiresAfter; does not count against MaxErrors. */
    public static InvocationOutcome deliveryTimedOut() {
        return new InvocationOutcome("TimedOut", "DeliveryTimedOut", -1, "", "");
    }

    /** The node could not be reached (offline agent); does not count against MaxErrors. */
    public static InvocationOutcome undeliverable() {
        return new InvocationOutcome("Failed", "Undeliverable", -1, "", "");
    }

    /**
     * Not sent because the command exceeded its MaxErrors: StatusDetails {@code Terminated}. SSM does
     * not document the coarse Status that goes with it; Cancelled is this simulation's choice.
     */
    public static InvocationOutcome terminated() {
        return new InvocationOutcome("Cancelled", "Terminated", -1, "", "");
    }

    /** The caller may not send to the node (its IAM policy does not allow this node); does not count against MaxErrors. */
    public static InvocationOutcome accessDenied(String why) {
        return new InvocationOutcome("Failed", "AccessDenied", -1, "", why);
    }

    /** SSM retries a delivery that failed (the node did not answer); not terminal. */
    public static InvocationOutcome delayed() {
        return new InvocationOutcome("Delayed", "Delayed", -1, "", "");
    }

    /** The node cannot run the document's plugin (a shell script on Windows, PowerShell without pwsh). */
    public static InvocationOutcome invalidPlatform(String why) {
        return new InvocationOutcome("Failed", "InvalidPlatform", -1, "", why);
    }

    /** Cancelled before the script finished. */
    public static InvocationOutcome cancelled() {
        return new InvocationOutcome("Cancelled", "Cancelled", -1, "", "");
    }

    /** Delivered and running (or rebooting after exit 194): not terminal. */
    public static InvocationOutcome inProgress() {
        return new InvocationOutcome("InProgress", "InProgress", -1, "", "");
    }

    public boolean terminal() {
        return TERMINAL.contains(status);
    }
}
