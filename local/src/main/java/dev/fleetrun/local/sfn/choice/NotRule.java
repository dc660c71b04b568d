package dev.fleetrun.local.sfn.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.path.Bindings;

/** {@code Not}: the rule does not hold. */
public record NotRule(ChoiceRule rule) implements ChoiceRule {
    @Override
    public boolean matches(JsonNode input, Bindings bindings) {
        return !rule.matches(input, bindings);
    }
}
