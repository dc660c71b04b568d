package dev.fleetrun.domain;

import java.util.List;
import java.util.Set;

/**
 * One node's result of a multi-step document, told as one: SSM reports such a document per step (its
 * GetCommandInvocation needs a step name, {@code InvalidPluginName} without one), and a node record
 * holds one exit code and one output excerpt. The exit code is the one of the step that decided the
 * outcome, with the agent's precedence (the first Failed step, else the first TimedOut, else the first
 * Cancelled, else the last step); the output is every step's, each under its name.
 */
public final class StepOutputs {
    private static final List<String> PRECEDENCE = List.of("Failed", "TimedOut", "Cancelled");
    private static final Set<String> NOT_STARTED = Set.of("Pending", "Delayed");

    /** One step as SSM reports it: a CommandPlugin's name, status, response code and output. */
    public record Step(String name, String status, Integer responseCode, String output) {
    }

    /** The combined result: the deciding step's exit code and the outputs of all the steps that reported. */
    public record Combined(Integer responseCode, String output) {
    }

    private StepOutputs() {
    }

    public static Combined combine(List<Step> steps) {
        if (steps.isEmpty()) {
            return new Combined(null, null);
        }
        Step deciding = steps.get(steps.size() - 1);
        outer:
        for (String status : PRECEDENCE) {
            for (Step step : steps) {
                if (status.equals(step.status())) {
                    deciding = step;
                    break outer;
                }
            }
        }
        StringBuilder output = new StringBuilder();
        for (Step step : steps) {
            if (NOT_STARTED.contains(step.status()) || step.output() == null || step.output().isEmpty()) {
                continue;
            }
            output.append("[").append(step.name()).append("] ").append(step.status()).append('\n').append(step.output());
            if (!step.output().endsWith("\n")) {
                output.append('\n');
            }
        }
        return new Combined(deciding.responseCode(), output.isEmpty() ? null : output.toString());
    }
}
