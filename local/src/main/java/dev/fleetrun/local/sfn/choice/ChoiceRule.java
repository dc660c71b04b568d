package dev.fleetrun.local.sfn.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.path.Bindings;

/** A Boolean expression of a Choice state: a comparison, or And, Or, Not of other rules. */
public interface ChoiceRule {

    /**
     * Whether the rule holds for the state's input.
     *
     * @throws dev.fleetrun.local.sfn.errors.StatesRuntime when a Variable (other than for IsPresent) or a
     *         ...Path operand selects nothing
     */
    boolean matches(JsonNode input, Bindings bindings);
}
