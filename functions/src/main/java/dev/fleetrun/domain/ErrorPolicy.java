package dev.fleetrun.domain;

/**
 * Which node outcomes count against a run's error budget. A command that failed ({@link NodeStatus#FAILED}) or
 * ran out of time ({@link NodeStatus#TIMED_OUT}) always counts. A node the command never reached
 * ({@link NodeStatus#UNDELIVERABLE}, {@link NodeStatus#DELIVERY_TIMED_OUT}) counts when
 * {@code countUnreachable} is set, which is fleetrun's default (setting
 * {@code FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS}), unlike SSM, which never counts them: a roll-out that cannot
 * reach its nodes should stop rather than report success.
 */
public record ErrorPolicy(boolean countUnreachable) {

    public boolean countsAsError(NodeStatus s) {
        return switch (s) {
            case FAILED, TIMED_OUT -> true;
            case UNDELIVERABLE, DELIVERY_TIMED_OUT -> countUnreachable;
            default -> false;
        };
    }
}
