package dev.fleetrun.local.sfn.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.path.Bindings;
import java.util.List;

/** {@code Or}: at least one rule holds (evaluated in order, stopping at the first that does). */
public record OrRule(List<ChoiceRule> rules) implements ChoiceRule {
    @Override
    public boolean matches(JsonNode input, Bindings bindings) {
        for (ChoiceRule rule : rules) {
            if (rule.matches(input, bindings)) {
                return true;
            }
        }
        return false;
    }
}
