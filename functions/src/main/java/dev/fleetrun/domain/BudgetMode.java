package dev.fleetrun.domain;

/**
 * How hard a run's error budget ({@code maxErrors}) is held, the request's {@code budgetMode}.
 * <ul>
 * <li>{@link #LEAKY} (the default) is SSM's own meaning: a command stops starting nodes once its errors exceed
 *     the budget, and the nodes already running go on and may fail too. A wave runs at its full concurrency, so a
 *     run may end with up to {@code allowance + concurrency} errors (the error that spent the budget and every
 *     other node in flight then), never more than its targeted nodes.</li>
 * <li>{@link #STRICT}: no more than {@code allowance + 1} nodes can ever fail. A wave is sent in rounds of at
 *     most {@code errors left + 1} nodes (and at most its concurrency at a time); the next round goes out only
 *     when the last one is done and the budget still holds. The waves' effective concurrency shrinks as errors
 *     happen: with no error left to spend, one node at a time.</li>
 * </ul>
 */
public enum BudgetMode {
    LEAKY("leaky"),
    STRICT("strict");

    private final String id;

    BudgetMode(String id) {
        this.id = id;
    }

    /** The request's form: {@code "leaky"} or {@code "strict"}. */
    public String id() {
        return id;
    }

    /**
     * The mode named {@code id} ({@code "leaky"} or {@code "strict"}, exactly).
     *
     * @throws IllegalArgumentException with a reason (no field name) for any other value
     */
    public static BudgetMode fromId(String id) {
        for (BudgetMode m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be \"leaky\" (SSM's meaning: nodes already running when the budget"
                + " is spent still run, the default) or \"strict\" (at most maxErrors + 1 nodes ever fail), got \""
                + id + "\"");
    }
}
