package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One step as a node is to run it: the document's step with the parameters and Parameter Store
 * values filled in ({@link Interpolation}), its execution timeout as the agent applies it, its
 * shared inputs, and what its precondition says on this node. Built by {@link #prepare} on the node
 * when the command starts there, as SSM Agent parses the document it received.
 *
 * @param runCommand     the script's lines
 * @param timeoutSeconds the execution timeout: {@code timeoutSeconds}, or 3600 when it is absent, not a
 *                       number or out of 5 to 172800 (the agent only logs that)
 * @param onFailure      {@code exit}, {@code successAndExit} or null
 * @param onSuccess      {@code exit} or null
 * @param finallyStep    runs even after an exit condition, when it is the last step
 * @param skipped        why the agent skips the step (precondition not met, plugin not for this platform), or null
 * @param failure        why the agent fails the step without running it (a precondition it cannot read), or null
 */
record StepPlan(String name, String action, List<String> runCommand, String workingDirectory, int timeoutSeconds,
                String onFailure, String onSuccess, boolean finallyStep, String skipped, String failure) {
    static final int MIN_TIMEOUT = 5;
    static final int MAX_TIMEOUT = 172_800;

    /**
     * The steps of {@code document} for a node of {@code platformType}, with {@code values} (the
     * parameters, Parameter Store references already resolved) filled in.
     *
     * @throws Interpolation.Failure when a Parameter Store reference in the steps cannot be resolved
     */
    static List<StepPlan> prepare(SsmDocument document, Map<String, JsonNode> values, String platformType,
                                  Interpolation.Lookup parameterStore) throws Interpolation.Failure {
        boolean preconditions = preconditionsEnabled(document.schemaVersion());
        List<StepPlan> plans = new ArrayList<>();
        for (DocumentStep step : document.steps()) {
            JsonNode inputs = Interpolation.parameterStore(Interpolation.parameters(step.inputs(), values), parameterStore);
            List<String> lines = lines(inputs.get("runCommand"));
            JsonNode workingDirectory = inputs.get("workingDirectory");
            String skipped = null;
            String failure = null;
            boolean supported = step.pluginRunsOn(platformType);
            if (!preconditions) {
                if (!supported) {
                    failure = "Plugin with name " + step.action() + " is not supported in current platform. Step name: "
                            + step.name();
                }
            } else if (step.precondition() == null) {
                if (!supported) {
                    skipped = "Step execution skipped due to unsupported plugin: " + step.action() + ". Step name: "
                            + step.name();
                }
            } else {
                List<String> initial = step.precondition();
                List<String> resolved = initial.stream()
                        .map(arg -> SsmDocument.text(Interpolation.parameters(com.fasterxml.jackson.databind.node.TextNode
                                .valueOf(arg), values))).toList();
                Precondition verdict = precondition(initial, resolved, platformType);
                if (!supported) {
                    skipped = "Step execution skipped due to unsupported plugin: " + step.action() + ". Step name: "
                            + step.name();
                } else if (verdict.unrecognized() != null) {
                    failure = "Unrecognized precondition(s): '" + verdict.unrecognized() + "', please update agent to"
                            + " latest version. Step name: " + step.name();
                } else if (!verdict.allowed()) {
                    skipped = "Step execution skipped due to unsatisfied preconditions: '\"StringEquals\": ["
                            + initial.get(0) + ", " + initial.get(1) + "]'. Step name: " + step.name();
                }
            }
            plans.add(new StepPlan(step.name(), step.action(), lines,
                    workingDirectory == null ? "" : SsmDocument.text(workingDirectory),
                    timeoutSeconds(inputs.get("timeoutSeconds")), text(inputs.get("onFailure")),
                    text(inputs.get("onSuccess")), "true".equals(text(inputs.get("finallyStep"))), skipped, failure));
        }
        return plans;
    }

    /** The execution timeout the agent applies for a {@code timeoutSeconds} input (already filled in). */
    static int timeoutSeconds(JsonNode timeout) {
        if (timeout == null || timeout.isNull()) {
            return SsmDocument.DEFAULT_EXECUTION_TIMEOUT;
        }
        String text = timeout.asText().trim();
        try {
            double seconds = Double.parseDouble(text);
            if (seconds < MIN_TIMEOUT || seconds > MAX_TIMEOUT) {
                return SsmDocument.DEFAULT_EXECUTION_TIMEOUT;
            }
            return (int) seconds;
        } catch (NumberFormatException e) {
            return SsmDocument.DEFAULT_EXECUTION_TIMEOUT;
        }
    }

    /** Precondition support starts with schema 2.2 (the agent's {@code isPreconditionEnabled}). */
    static boolean preconditionsEnabled(String schemaVersion) {
        String[] parts = schemaVersion.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 2 || (major == 2 && minor >= 2);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private record Precondition(boolean allowed, String unrecognized) {
    }

    /** {@code StringEquals} as the agent evaluates it ({@code evaluatePreconditions}). */
    private static Precondition precondition(List<String> initial, List<String> resolved, String platformType) {
        String a = initial.get(0);
        String b = initial.get(1);
        if (a.equals(b)) {
            return new Precondition(false, a.equals("platformType") ? "\"StringEquals\": [" + a + " " + b + "]"
                    : "\"StringEquals\": operator's arguments can't be identical");
        }
        if (a.contains("{{ssm") || b.contains("{{ssm") || a.contains("{{ ssm") || b.contains("{{ ssm")) {
            return new Precondition(false, "\"StringEquals\": operator's arguments can't contain SSM parameters");
        }
        if (a.equals("platformType") || b.equals("platformType")) {
            int other = a.equals("platformType") ? 1 : 0;
            if (!initial.get(other).equalsIgnoreCase(resolved.get(other))) {
                return new Precondition(false, "\"StringEquals\": the second argument for the platformType variable"
                        + " can't contain document parameters");
            }
            return new Precondition(platformType.toLowerCase(Locale.ROOT)
                    .equals(initial.get(other).toLowerCase(Locale.ROOT)), null);
        }
        if (a.equals(resolved.get(0)) && b.equals(resolved.get(1))) {
            return new Precondition(false, "\"StringEquals\": at least one of operator's arguments must contain a valid"
                    + " document parameter");
        }
        return new Precondition(resolved.get(0).equals(resolved.get(1)), null);
    }

    /** runCommand's lines: a list (nested lists of a whole StringList placeholder flattened), or one string. */
    private static List<String> lines(JsonNode runCommand) {
        List<String> lines = new ArrayList<>();
        if (runCommand == null || runCommand.isNull()) {
            return lines;
        }
        if (!runCommand.isArray()) {
            lines.add(SsmDocument.text(runCommand));
            return lines;
        }
        for (JsonNode item : runCommand) {
            if (item.isArray()) {
                item.forEach(inner -> lines.add(SsmDocument.text(inner)));
            } else {
                lines.add(SsmDocument.text(item));
            }
        }
        return lines;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }
}
