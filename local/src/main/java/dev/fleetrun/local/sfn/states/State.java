package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.function.BiConsumer;

/**
 * One state of a state machine. Each type is a class of its own that reads its fields from the definition
 * (reporting problems with their JSON pointers) and runs itself on its raw input; the
 * {@link dev.fleetrun.local.sfn.definition.StateMachine} records the entered and exited events around it.
 */
public abstract class State {

    private final String name;

    protected State(String name) {
        this.name = name;
    }

    /** The state's name. */
    public final String name() {
        return name;
    }

    /** The state's type. */
    public abstract StateType type();

    /**
     * Runs the state on its raw input (the previous state's output) and says where to go.
     *
     * @throws dev.fleetrun.local.sfn.errors.AslError for an error the state does not handle itself
     */
    public abstract Transition run(StateContext context, JsonNode input);

    /** Reports every state this one can go to, with the JSON pointer of the field that names it. */
    public abstract void targets(BiConsumer<String, String> target);
}
