package dev.fleetrun.local.ssm;

import java.util.List;
import java.util.Set;

/**
 * A command's status and counts, derived from its invocations the way SSM documents it
 * (shared/reference/ssm-run-command.md, sections 1.4, 2 and 3):
 * <ul>
 *   <li>{@code CompletedCount}: terminal invocations; {@code ErrorCount}: Failed (not Undeliverable,
 *       InvalidPlatform, AccessDenied) and ExecutionTimedOut; {@code DeliveryTimedOutCount}.</li>
 *   <li>No target at all (Targets that matched no node): {@code Failed} / {@code NoInstancesInTag}.</li>
 *   <li>While some invocation is not terminal: {@code Cancelling} after a cancel, {@code Pending}
 *       while every invocation is, else {@code InProgress}.</li>
 *   <li>Once all are terminal: {@code Cancelled} after a cancel that cancelled something;
 *       {@code Failed} when errors exceed MaxErrors or when no invocation could be delivered at
 *       all; {@code Success} when every delivered one succeeded; {@code TimedOut}
 *       ({@code DeliveryTimedOut}) when all delivered ones timed out; otherwise
 *       {@code Failed}/{@code Incomplete}. The coarse status AWS pairs with Incomplete and
 *       NoInstancesInTag is not documented; Failed is this simulation's choice.</li>
 * </ul>
 */
public record CommandRollup(String status, String statusDetails, int targetCount, int completedCount, int errorCount,
                            int deliveryTimedOutCount) {
    private static final Set<String> NOT_DELIVERED = Set.of("Undeliverable", "InvalidPlatform", "AccessDenied");

    public static CommandRollup of(SsmCommand command) {
        List<SsmInvocation> all = command.invocations();
        int completed = (int) all.stream().filter(SsmInvocation::terminal).count();
        int errors = (int) all.stream().filter(CommandRollup::isError).count();
        int deliveryTimedOut = (int) all.stream().filter(i -> "DeliveryTimedOut".equals(i.statusDetails())).count();
        Status status = status(command, all, completed, errors);
        return new CommandRollup(status.status(), status.details(), all.size(), completed, errors, deliveryTimedOut);
    }

    /** Whether the command reached a terminal status (every invocation is terminal). */
    public boolean terminal() {
        return completedCount == targetCount;
    }

    /** Whether an invocation counts against MaxErrors: Failed (when delivered) or ExecutionTimedOut. */
    public static boolean isError(SsmInvocation invocation) {
        return ("Failed".equals(invocation.status()) && !NOT_DELIVERED.contains(invocation.statusDetails()))
                || "ExecutionTimedOut".equals(invocation.statusDetails());
    }

    private static Status status(SsmCommand command, List<SsmInvocation> all, int completed, int errors) {
        if (all.isEmpty()) {
            return new Status("Failed", "NoInstancesInTag");
        }
        if (completed < all.size()) {
            if (command.cancelRequested()) {
                return new Status("Cancelling", "Cancelling");
            }
            boolean allPending = all.stream().allMatch(i -> "Pending".equals(i.status()));
            return allPending ? new Status("Pending", "Pending") : new Status("InProgress", "InProgress");
        }
        if (command.cancelRequested() && all.stream().anyMatch(i -> "Cancelled".equals(i.statusDetails()))) {
            return new Status("Cancelled", "Cancelled");
        }
        if (command.rateControl().exceeded(errors, all.size())) {
            return new Status("Failed", "Failed");
        }
        List<SsmInvocation> delivered = all.stream().filter(i -> !NOT_DELIVERED.contains(i.statusDetails())).toList();
        if (delivered.isEmpty()) {
            return new Status("Failed", "Failed");
        }
        if (delivered.stream().allMatch(i -> "Success".equals(i.status()))) {
            return new Status("Success", "Success");
        }
        if (delivered.stream().allMatch(i -> "DeliveryTimedOut".equals(i.statusDetails()))) {
            return new Status("TimedOut", "DeliveryTimedOut");
        }
        if (delivered.stream().allMatch(i -> "Cancelled".equals(i.status()))) {
            return new Status("Cancelled", "Cancelled");
        }
        return new Status("Failed", "Incomplete");
    }

    private record Status(String status, String details) {
    }
}
