package dev.fleetrun.domain;

import java.util.Locale;
import java.util.Map;

/**
 * Which node outcomes count against a run's error budget. A command that failed ({@link NodeStatus#FAILED}) or
 * ran out of time ({@link NodeStatus#TIMED_OUT}) always counts. A node the command never reached
 * ({@link NodeStatus#UNDELIVERABLE}, {@link NodeStatus#DELIVERY_TIMED_OUT}) counts when
 * {@code countUnreachable} is set, which is fleetrun's default (setting
 * {@code FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS}), unlike SSM, which never counts them: a roll-out that cannot
 * reach its nodes should stop rather than report success.
 */
public record ErrorPolicy(boolean countUnreachable) {

    /** The deployment setting that chooses {@code countUnreachable}. */
    public static final String SETTING = "FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS";

    public boolean countsAsError(NodeStatus s) {
        return switch (s) {
            case FAILED, TIMED_OUT -> true;
            case UNDELIVERABLE, DELIVERY_TIMED_OUT -> countUnreachable;
            default -> false;
        };
    }

    /** The number of errors among {@code counts} (status to number of nodes). */
    public int errors(Map<NodeStatus, Integer> counts) {
        int errors = 0;
        for (Map.Entry<NodeStatus, Integer> e : counts.entrySet()) {
            if (e.getValue() != null && countsAsError(e.getKey())) {
                errors += e.getValue();
            }
        }
        return errors;
    }

    /**
     * Reads the value of {@value #SETTING}: {@code true} or {@code false}, ignoring case; {@code true} when
     * {@code null} or blank.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static ErrorPolicy fromSetting(String value) {
        if (value == null || value.isBlank()) {
            return new ErrorPolicy(true);
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> new ErrorPolicy(true);
            case "false" -> new ErrorPolicy(false);
            default -> throw new IllegalArgumentException(SETTING + " must be true or false, got \"" + value + "\"");
        };
    }
}
