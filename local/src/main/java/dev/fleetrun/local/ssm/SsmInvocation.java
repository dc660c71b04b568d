package dev.fleetrun.local.ssm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one command on one node, as {@code ListCommandInvocations} and
 * {@code GetCommandInvocation} report it: the invocation's own status ({@link InvocationOutcome})
 * and one {@link StepResult} per step of the document, in document order. Mutable and not
 * thread-safe: the service that owns it moves it under its own lock.
 *
 * <p>The node's agent reports each step as it ends ({@link #applyStep}). An invocation that ends
 * without its steps having run (never delivered, cancelled before it started, terminated by
 * MaxErrors, refused by a failing node) gives its remaining steps its own status: the one step of a
 * one-step document mirrors the invocation (exit code, output, times), as SSM reports it.
 */
public final class SsmInvocation {
    private final String instanceId;
    private final Map<String, StepResult> steps = new LinkedHashMap<>();
    private InvocationOutcome outcome = new InvocationOutcome("Pending", "Pending", -1, "", "");
    private Instant executionStart;
    private Instant executionEnd;
    private Instant updatedAt;

    /** @param steps the document's steps, by name, with their plugins */
    public SsmInvocation(String instanceId, Instant requestedAt, Map<String, String> steps) {
        this.instanceId = instanceId;
        this.updatedAt = requestedAt;
        steps.forEach((name, action) -> this.steps.put(name, StepResult.pending(name, action)));
    }

    /** Moves the invocation; start and end times follow the status as the agent would report them. */
    public void apply(InvocationOutcome next, Instant now) {
        boolean ran = next.responseCode() != -1 || "InProgress".equals(next.status());
        if (ran && executionStart == null) {
            executionStart = now;
        }
        executionEnd = next.terminal() && ran ? now : null;
        outcome = next;
        updatedAt = now;
        if (next.terminal()) {
            endRemainingSteps(next);
        } else if (steps.size() == 1 && !"Pending".equals(next.status())) {
            StepResult only = steps.values().iterator().next();
            if (!only.terminal()) {
                steps.put(only.name(), new StepResult(only.name(), only.action(), StepResult.pluginStatus(next.status()),
                        next.statusDetails(), -1, "", "", only.start() != null ? only.start() : executionStart, null));
            }
        }
    }

    /** Records what one step did, as the agent reports it when the step ends (or starts). */
    public void applyStep(StepResult result, Instant now) {
        if (!steps.containsKey(result.name())) {
            throw new IllegalArgumentException("invocation on " + instanceId + " has no step " + result.name()
                    + "; its steps are " + steps.keySet());
        }
        steps.put(result.name(), result);
        if (executionStart == null && result.start() != null) {
            executionStart = result.start();
        }
        updatedAt = now;
    }

    private void endRemainingSteps(InvocationOutcome end) {
        boolean single = steps.size() == 1;
        // The end's own code and output go to the first step only when no step reported anything.
        boolean first = steps.values().stream().noneMatch(StepResult::terminal);
        for (StepResult step : new ArrayList<>(steps.values())) {
            if (step.terminal()) {
                continue;
            }
            String status = StepResult.pluginStatus(end.status());
            if (single) {
                steps.put(step.name(), new StepResult(step.name(), step.action(), status, end.statusDetails(),
                        end.responseCode(), end.stdout(), end.stderr(), executionStart, executionEnd));
            } else {
                boolean ran = step.start() != null;
                steps.put(step.name(), new StepResult(step.name(), step.action(), status, end.statusDetails(),
                        first ? end.responseCode() : -1, first ? end.stdout() : "", first ? end.stderr() : "",
                        ran ? step.start() : null, ran ? executionEnd : null));
            }
            first = false;
        }
    }

    public String instanceId() {
        return instanceId;
    }

    public InvocationOutcome outcome() {
        return outcome;
    }

    public String status() {
        return outcome.status();
    }

    public String statusDetails() {
        return outcome.statusDetails();
    }

    public boolean terminal() {
        return outcome.terminal();
    }

    /** Each step's result, in the document's order. */
    public List<StepResult> steps() {
        return List.copyOf(steps.values());
    }

    /** One step's result, or null when the document has no such step. */
    public StepResult step(String name) {
        return steps.get(name);
    }

    /** Null until the script started. */
    public Instant executionStart() {
        return executionStart;
    }

    /** Null until the script finished. */
    public Instant executionEnd() {
        return executionEnd;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
