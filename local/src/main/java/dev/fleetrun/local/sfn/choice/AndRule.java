package dev.fleetrun.local.sfn.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.path.Bindings;
import java.util.List;

/** {@code And}: every rule holds (evaluated in order, stopping at the first that does not). */
public record AndRule(List<ChoiceRule> rules) implements ChoiceRule {
    @Override
    public boolean matches(JsonNode input, Bindings bindings) {
        for (ChoiceRule rule : rules) {
            if (!rule.matches(input, bindings)) {
                return false;
            }
        }
        return true;
    }
}
