package dev.fleetrun.local.sfn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one branch (the top level, a Parallel branch or a Map iteration) got to: the state it entered last
 * with that state's input and the branch's variables, and, when that state is a Parallel or Map state, what
 * each of its branches or iterations did (the output of those that succeeded, the journal of the others).
 * It is what RedriveExecution resumes from: the redriven branch starts again at {@link #state()} with
 * {@link #input()}, and a Parallel or Map state there runs only the branches and iterations that did not
 * succeed, each from where it stopped.
 */
public final class Journal {

    private volatile String state;
    private volatile JsonNode input;
    private volatile Journal previous;
    private volatile Variables variables;
    private final Map<Integer, JsonNode> succeeded = new ConcurrentHashMap<>();
    private final Map<Integer, Journal> children = new ConcurrentHashMap<>();

    /**
     * The branch enters {@code stateName} with {@code stateInput}; {@code before} is the journal of the
     * attempt this one redrives, for the first state a redriven branch enters, else {@code null}.
     */
    public void enter(String stateName, JsonNode stateInput, Journal before) {
        succeeded.clear();
        children.clear();
        this.previous = before;
        this.input = stateInput;
        this.state = stateName;
    }

    /** The state the branch entered last, or {@code null} before it entered any. */
    public String state() {
        return state;
    }

    /** That state's input. */
    public JsonNode input() {
        return input;
    }

    /** The variables of the branch. */
    public Variables variables() {
        return variables;
    }

    void variables(Variables value) {
        this.variables = value;
    }

    /** The output branch or iteration {@code index} of the state had in the attempt redriven, if it succeeded there. */
    public JsonNode succeededBefore(int index) {
        Journal before = previous;
        return before == null ? null : before.succeeded.get(index);
    }

    /** The journal branch or iteration {@code index} of the state left in the attempt redriven, or {@code null}. */
    public Journal before(int index) {
        Journal before = previous;
        return before == null ? null : before.children.get(index);
    }

    /** Records that branch or iteration {@code index} succeeded with {@code output}. */
    public void succeeded(int index, JsonNode output) {
        succeeded.put(index, output);
        children.remove(index);
    }

    /** The journal of branch or iteration {@code index} of the state, made on first use. */
    public Journal child(int index) {
        return children.computeIfAbsent(index, i -> new Journal());
    }
}
