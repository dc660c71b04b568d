package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks of a run request that only the plan can settle, made after resolving and planning and reported the
 * same way as the parser's errors (as {@link InvalidInputException} by the caller).
 */
public final class PlanChecks {

    /**
     * The most waves one run may have. Each wave adds about 20 events to its Step Functions execution's history
     * (send, wait, evaluate and the choices between), a reconciled wait some 15 more, and a Standard execution
     * holds at most 25,000 events: past that it fails half-way through the fleet.
     */
    public static final int MAX_WAVES = 500;

    private PlanChecks() {
    }

    /**
     * The request's errors against its plan: more than {@link #MAX_WAVES} waves (a low {@code maxConcurrency}
     * over a large fleet), and {@code approvalAfterWave} at or beyond the last planned wave (the gate sits between
     * a wave and the next, so after the last one it would never be reached, and the run would go through without
     * the approval the operator asked for). Empty when there is nothing wrong, including when nothing is targeted.
     */
    public static List<FieldError> checkAgainstPlan(RunRequest request, WavePlan plan) {
        List<FieldError> errors = new ArrayList<>();
        int waves = plan.waves().size();
        if (waves > MAX_WAVES) {
            errors.add(new FieldError(request.waves().isEmpty() ? "maxConcurrency" : "waves", "the plan has " + waves
                    + " waves for " + plan.targeted() + " nodes at a concurrency of " + plan.concurrency()
                    + ", and a run can have at most " + MAX_WAVES + " (each wave adds to its Step Functions execution's"
                    + " history, which ends at 25,000 events): raise maxConcurrency, or give fewer, larger waves such as"
                    + " [1, \"10%\", \"100%\"] (a wave still runs at most maxConcurrency nodes at once)"));
        }
        List<WaveSize> sizes = request.waves();
        for (int i = 1; i < sizes.size(); i++) {
            WaveSize before = sizes.get(i - 1);
            WaveSize now = sizes.get(i);
            // Same-unit entries are checked by the parser; a count beside a percentage only on the plan's total.
            if (before.percent() != now.percent() && now.of(plan.targeted()) < before.of(plan.targeted())) {
                errors.add(new FieldError("waves[" + i + "]", RunRequestParser.shrinking(before, now, i)
                        + " (of " + plan.targeted() + " nodes, " + now + " is " + now.of(plan.targeted()) + " and " + before
                        + " is " + before.of(plan.targeted()) + ")"));
            }
        }
        int gate = request.approvalAfterWave();
        if (waves > 0 && gate >= waves) {
            String planned = "the plan has " + waves + (waves == 1 ? " wave" : " waves") + " for " + plan.targeted()
                    + (plan.targeted() == 1 ? " node" : " nodes");
            String between = "the approval gate sits between waves (after wave " + gate + ", before the next)";
            errors.add(new FieldError("approvalAfterWave", waves == 1
                    ? planned + ", and " + between + ", so it would never be reached; use 0 for no approval gate, or"
                            + " give more waves, such as [1, \"100%\"], to approve after the first"
                    : planned + ", and " + between + ", so it must be below " + waves + "; use 1 to " + (waves - 1)
                            + ", or 0 for no approval gate"));
        }
        return errors;
    }
}
