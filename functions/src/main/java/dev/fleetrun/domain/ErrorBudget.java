package dev.fleetrun.domain;

/**
 * How many errors a run allows, over all its waves, before it stops: SSM's {@code MaxErrors} meaning applied to
 * the whole run. {@code "3"} allows 3 errors and breaches at the 4th; {@code "0"} breaches at the first;
 * a percentage is of the targeted nodes, rounded down ({@code "10%"} of 15 nodes allows 1).
 *
 * @param allowance the errors the run may have without breaching
 * @param targeted  the targeted nodes the allowance was computed from
 */
public record ErrorBudget(int allowance, int targeted) {

    public ErrorBudget {
        if (allowance < 0 || targeted < 0) {
            throw new IllegalArgumentException("an error budget cannot be negative: allowance " + allowance
                    + ", targeted " + targeted);
        }
    }

    public static ErrorBudget of(Rate maxErrors, int targeted) {
        return new ErrorBudget(maxErrors.floorOf(targeted), targeted);
    }

    /** Whether {@code errors} (cumulative over the run) exceed the allowance. */
    public boolean isBreached(int errors) {
        return errors > allowance;
    }

    /**
     * The errors still allowed after {@code errors}: max(0, allowance − errors). The next command passes it to SSM
     * as its {@code MaxErrors}, so SSM itself stops sending once the run's budget is used up. (Each command of a wave
     * gets the whole remainder, so a wave of several commands may go past it before Evaluate sees the breach.)
     */
    public int remaining(int errors) {
        return Math.max(0, allowance - errors);
    }
}
