package dev.fleetrun.testing;

import java.util.List;
import java.util.Set;

/**
 * A command's status and counts, derived from its invocations the way SSM documents it
 * (shared/reference/ssm-run-command.md, sections 1.4, 2 and 3):
 * <ul>
 *   <li>{@code CompletedCount}: terminal invocations; {@code ErrorCount}: Failed (not Undeliverable,
 *       InvalidPlatform, AccessDenied) and ExecutionTimedOut; {@code DeliveryTimedOutCount}.</li>
 *   <li>While some invocation is not terminal: {@code Cancelling} after a cancel, {@code Pending}
 *       while every invocation is, else {@code InProgress}.</li>
 *   <li>Once all are terminal: {@code Cancelled} after a cancel that cancelled something;
 *       {@code Failed} when errors exceed MaxErrors or when no invocation could be delivered at
 *       all; {@code Success} when every delivered one succeeded; {@code TimedOut}
 *       ({@code DeliveryTimedOut}) when all delivered ones timed out; otherwise
 *       {@code Failed}/{@code Incomplete}. The coarse status AWS pairs with Incomplete is not
 *       documented; Failed is this fake's choice.</li>
 * </ul>
 * MaxErrors is not enforced (no invocation is Terminated by the fake): tests script that outcome.
 */
record CommandRollup(String status, String statusDetails, int targetCount, int completedCount, int errorCount,
                     int deliveryTimedOutCount) {
    private static final Set<String> NOT_DELIVERED = Set.of("Undeliverable", "InvalidPlatform", "AccessDenied");

    static CommandRollup of(SsmCommand command) {
        List<SsmInvocation> all = command.invocations();
        int completed = (int) all.stream().filter(SsmInvocation::terminal).count();
        int errors = (int) all.stream().filter(CommandRollup::isError).count();
        int deliveryTimedOut = (int) all.stream().filter(i -> "DeliveryTimedOut".equals(i.statusDetails())).count();
        Status status = status(command, all, completed, errors);
        return new CommandRollup(status.status(), status.details(), all.size(), completed, errors, deliveryTimedOut);
    }

    private static Status status(SsmCommand command, List<SsmInvocation> all, int completed, int errors) {
        if (completed < all.size()) {
            if (command.cancelRequested()) {
                return new Status("Cancelling", "Cancelling");
            }
            boolean allPending = all.stream().allMatch(i -> "Pending".equals(i.status()));
            return allPending ? new Status("Pending", "Pending") : new Status("InProgress", "InProgress");
        }
        if (command.cancelRequested() && all.stream().anyMatch(i -> "Cancelled".equals(i.status()))) {
            return new Status("Cancelled", "Cancelled");
        }
        if (errors > allowedErrors(command.maxErrors, all.size())) {
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

    private static boolean isError(SsmInvocation invocation) {
        return ("Failed".equals(invocation.status()) && !NOT_DELIVERED.contains(invocation.statusDetails()))
                || "ExecutionTimedOut".equals(invocation.statusDetails());
    }

    /** MaxErrors is an allowance: "3" allows 3 (the 4th fails the command); "10%" of 50 allows 5. */
    static int allowedErrors(String maxErrors, int targets) {
        if (maxErrors.endsWith("%")) {
            int percent = Integer.parseInt(maxErrors.substring(0, maxErrors.length() - 1));
            return targets * percent / 100;
        }
        return Integer.parseInt(maxErrors);
    }

    private record Status(String status, String details) {
    }
}
