package dev.fleetrun.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks a task's parameters against what an optimized integration supports, as Step Functions validates them. */
final class Parameters {
    private Parameters() {
    }

    /**
     * @throws StatesRuntime when the input is not an object or has a field the integration does not take (AWS refuses
     *                       such a definition at creation; here the execution fails with the names)
     */
    static void check(String resource, JsonNode input, Set<String> supported) {
        if (input == null || !input.isObject()) {
            throw new StatesRuntime("the parameters of " + resource + " must be a JSON object, got " + input);
        }
        List<String> unknown = new ArrayList<>();
        input.fieldNames().forEachRemaining(name -> {
            if (!supported.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new StatesRuntime("The field(s) " + unknown + " are not supported by Step Functions for " + resource
                    + "; supported: " + supported.stream().sorted().toList());
        }
    }
}
