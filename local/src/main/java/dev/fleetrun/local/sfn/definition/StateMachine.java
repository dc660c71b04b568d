package dev.fleetrun.local.sfn.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.ExecutionCancelled;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.runtime.BranchContext;
import dev.fleetrun.local.sfn.runtime.Journal;
import dev.fleetrun.local.sfn.runtime.StateContext;
import dev.fleetrun.local.sfn.states.State;
import dev.fleetrun.local.sfn.states.Transition;
import java.util.Collections;
import java.util.Map;

/**
 * A graph of states with a start: the top level of a definition, a Parallel branch or a Map's item
 * processor. {@link #run} is the interpreter's loop: enter a state, record it, run it, record its exit,
 * follow its transition, until a state ends the machine (its output is the machine's output) or an error
 * escapes (thrown to the caller).
 */
public final class StateMachine {

    private final String startAt;
    private final Map<String, State> states;

    StateMachine(String startAt, Map<String, State> states) {
        this.startAt = startAt;
        this.states = Collections.unmodifiableMap(states);
    }

    /** The first state's name. */
    public String startAt() {
        return startAt;
    }

    /** The states by name, in definition order. */
    public Map<String, State> states() {
        return states;
    }

    /**
     * Runs the machine on {@code input} in {@code branch}, recording each state's events.
     *
     * @throws dev.fleetrun.local.sfn.errors.AslError an error no state handled
     * @throws ExecutionCancelled when the branch was cancelled
     */
    public JsonNode run(JsonNode input, BranchContext branch) {
        Journal resume = branch.resumeFrom();
        State state = states.get(startAt);
        JsonNode data = input;
        if (resume != null && resume.state() != null && states.containsKey(resume.state())) {
            // Redriven: start again at the state that did not succeed, with the input it had.
            state = states.get(resume.state());
            data = resume.input();
        } else {
            resume = null;
        }
        while (true) {
            branch.scope().check();
            branch.journal().enter(state.name(), data, resume);
            resume = null;
            StateContext context = new StateContext(branch, state.name(), branch.services().clock().now());
            branch.emit(state.type().entered(), BranchContext.stateDetails(state.name(), "input", data));
            Transition transition;
            try {
                transition = state.run(context, data);
            } catch (ExecutionCancelled cancelled) {
                HistoryEventType aborted = state.type().aborted();
                if (aborted != null) {
                    branch.emit(aborted, Map.of());
                }
                throw cancelled;
            }
            HistoryEventType exited = state.type().exited();
            if (exited != null) {
                branch.emit(exited, BranchContext.stateDetails(state.name(), "output", transition.output()));
            }
            if (transition.isEnd()) {
                return transition.output();
            }
            state = states.get(transition.next());
            data = transition.output();
        }
    }
}
