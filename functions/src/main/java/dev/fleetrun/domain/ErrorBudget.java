package dev.fleetrun.domain;

/**
 * How many errors a run allows, over all its waves, before it stops: SSM's {@code MaxErrors} meaning applied to
 * the whole run. {@code "3"} allows 3 errors and breaches at the 4th; {@code "0"} breaches at the first;
 * a percentage is of the targeted nodes, rounded down ({@code "10%"} of 15 nodes allows 1; {@code "10%"} of 3
 * nodes and {@code "50%"} of 1 node allow 0, so the first error breaches), so a percentage never allows more
 * errors than it says.
 *
 * <p>How hard the budget is held is the run's {@link BudgetMode}: {@link #mostFailures} says what each mode
 * allows at worst, {@link #inFlightCap} is what a strict run lets run at once.
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
     * gets the whole remainder; SSM stops each on its own errors only, so once the run's errors pass the allowance
     * the status listener cancels what the wave's other commands have not started.)
     */
    public int remaining(int errors) {
        return Math.max(0, allowance - errors);
    }

    /**
     * Under a {@link BudgetMode#STRICT strict} budget, the most nodes that may be in flight, or sent in one round,
     * after {@code errors}: the errors left + 1. Were every one of them to fail, the run would end with
     * {@code allowance + 1} errors at most, the breach itself.
     */
    public int inFlightCap(int errors) {
        return remaining(errors) + 1;
    }

    /**
     * The most nodes that can fail in a run of {@code targeted} nodes whose waves run at most {@code concurrency}
     * nodes at once, in the worst case: {@code allowance + 1} under a strict budget; {@code allowance +
     * concurrency} under a leaky one (the error that spends the budget, and every other node then in flight);
     * never more than the targeted nodes.
     */
    public int mostFailures(BudgetMode mode, int concurrency) {
        long most = mode == BudgetMode.STRICT ? (long) allowance + 1 : (long) allowance + Math.max(1, concurrency);
        return (int) Math.min(targeted, most);
    }
}
