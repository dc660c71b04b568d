package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a state goes when it is done, and with what.
 *
 * @param next   the next state's name, or {@code null} when the state machine (or branch) ends here
 * @param output the state's output: the next state's input, or the machine's output
 */
public record Transition(String next, JsonNode output) {

    /** Whether this ends the state machine or branch. */
    public boolean isEnd() {
        return next == null;
    }
}
