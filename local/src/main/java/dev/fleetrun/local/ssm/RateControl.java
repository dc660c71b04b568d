package dev.fleetrun.local.ssm;

/**
 * A command's MaxConcurrency and MaxErrors as sent (a count, or a percentage of the targets) and
 * what they come to for a number of targets, with SSM's meaning:
 * <ul>
 *   <li>MaxConcurrency caps how many targets run the command at the same time. A percentage is
 *       rounded up, and is at least 1 (SSM does not document its rounding).</li>
 *   <li>MaxErrors is an allowance: "3" allows 3 errors and the 4th stops dispatch; "0" stops at the
 *       first; "10%" of 50 targets allows 5 (rounded down).</li>
 * </ul>
 */
public record RateControl(String maxConcurrency, String maxErrors) {
    /** SSM's model patterns for the two members. */
    public static final String MAX_CONCURRENCY_PATTERN = "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$";
    public static final String MAX_ERRORS_PATTERN = "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$";
    public static final String DEFAULT_MAX_CONCURRENCY = "50";
    public static final String DEFAULT_MAX_ERRORS = "0";

    /** How many of {@code targets} may run at once. */
    public int concurrency(int targets) {
        if (maxConcurrency.endsWith("%")) {
            int percent = percent(maxConcurrency);
            return Math.max(1, (targets * percent + 99) / 100);
        }
        return Integer.parseInt(maxConcurrency);
    }

    /** How many errors are allowed before dispatch stops. */
    public int allowedErrors(int targets) {
        if (maxErrors.endsWith("%")) {
            return targets * percent(maxErrors) / 100;
        }
        return Integer.parseInt(maxErrors);
    }

    /** Whether {@code errors} among {@code targets} exceed the allowance (SSM then stops sending). */
    public boolean exceeded(int errors, int targets) {
        return errors > allowedErrors(targets);
    }

    private static int percent(String value) {
        return Integer.parseInt(value.substring(0, value.length() - 1));
    }
}
