package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks of a run request that only the plan can settle, made after resolving and planning and reported the
 * same way as the parser's errors (as {@link InvalidInputException} by the caller).
 */
public final class PlanChecks {

    private PlanChecks() {
    }

    /**
     * The request's errors against its plan: {@code approvalAfterWave} beyond the last planned wave (the gate
     * would never be reached, so the run would go through without the approval the operator asked for).
     * Empty when there is nothing wrong, including when nothing is targeted.
     */
    public static List<FieldError> checkAgainstPlan(RunRequest request, WavePlan plan) {
        List<FieldError> errors = new ArrayList<>();
        int waves = plan.waves().size();
        int gate = request.approvalAfterWave();
        if (waves > 0 && gate > waves) {
            errors.add(new FieldError("approvalAfterWave", "the plan has " + waves + (waves == 1 ? " wave" : " waves")
                    + " for " + plan.targeted() + (plan.targeted() == 1 ? " node" : " nodes")
                    + ", so there is no wave " + gate + " to approve after; use " + (waves == 1 ? "1" : "1 to " + waves)
                    + ", or 0 for no approval gate"));
        }
        return errors;
    }
}
