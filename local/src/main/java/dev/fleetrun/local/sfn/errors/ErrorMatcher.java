package dev.fleetrun.local.sfn.errors;

import java.util.List;

/**
 * Whether a retrier's or catcher's {@code ErrorEquals} matches an error, by the rules of the States Language
 * and of AWS Step Functions:
 * <ul>
 *   <li>a name matches itself (names are case-sensitive);</li>
 *   <li>{@code States.ALL} matches every error;</li>
 *   <li>{@code States.TaskFailed} matches every error except {@code States.Timeout} (so it does match
 *       {@code States.HeartbeatTimeout});</li>
 *   <li>terminal errors ({@code States.Runtime}, {@code States.DataLimitExceeded}) match nothing: they always
 *       fail the execution.</li>
 * </ul>
 */
public final class ErrorMatcher {

    /** The wildcard that matches any error. */
    public static final String ALL = "States.ALL";

    private ErrorMatcher() {
    }

    /** Whether {@code errorEquals} (one retrier's or catcher's list) matches {@code error}. */
    public static boolean matches(List<String> errorEquals, AslError error) {
        if (error.isTerminal()) {
            return false;
        }
        for (String pattern : errorEquals) {
            if (matches(pattern, error.name())) {
                return true;
            }
        }
        return false;
    }

    /** Whether one {@code ErrorEquals} entry matches an error name. */
    public static boolean matches(String pattern, String errorName) {
        if (pattern.equals(ALL) || pattern.equals(errorName)) {
            return true;
        }
        return pattern.equals(StatesTaskFailed.NAME) && !StatesTimeout.NAME.equals(errorName);
    }
}
