package dev.fleetrun.local.sfn.states;

import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import java.util.function.BiConsumer;

/**
 * A non-terminal state's {@code Next} or {@code End}: exactly one of them, End only as {@code true}.
 *
 * @param next    the next state, or {@code null} when the state ends its machine
 * @param pointer the JSON pointer of {@code Next}
 */
public record Flow(String next, String pointer) {

    /** Reads Next/End of a Pass, Task, Wait, Parallel or Map state. */
    public static Flow parse(Fields fields) {
        String next = fields.string("Next");
        Boolean end = fields.bool("End");
        boolean hasNext = fields.has("Next");
        if (hasNext && end != null) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(), "a state may have 'Next' or 'End', not both");
        } else if (!hasNext && end == null) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(), "the state needs 'Next' or \"End\": true");
        } else if (end != null && !end) {
            fields.problem("End", Problems.SCHEMA, "'End' may only be true; use 'Next' to go on");
        }
        return new Flow(next, fields.pointer("Next"));
    }

    /** Reports the target, if any. */
    public void targets(BiConsumer<String, String> target) {
        if (next != null) {
            target.accept(next, pointer);
        }
    }
}
