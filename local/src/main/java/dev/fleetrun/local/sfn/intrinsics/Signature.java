package dev.fleetrun.local.sfn.intrinsics;

import java.util.List;

/**
 * The argument rules of an intrinsic function, declared as data: the arguments it requires, those it
 * accepts after them, and whether any number of further arguments of one kind may follow.
 *
 * @param required the arguments that must be given, in order
 * @param optional the arguments that may follow, in order
 * @param rest     the kind of any number of further arguments, or {@code null} when there are none
 */
public record Signature(List<Param> required, List<Param> optional, Param rest) {

    /** Exactly these arguments. */
    public static Signature of(Param... required) {
        return new Signature(List.of(required), List.of(), null);
    }

    /** These arguments, then any number of {@code rest}. */
    public static Signature variadic(Param rest, Param... required) {
        return new Signature(List.of(required), List.of(), rest);
    }

    /** These arguments, then these optional ones. */
    public static Signature withOptional(List<Param> required, List<Param> optional) {
        return new Signature(List.copyOf(required), List.copyOf(optional), null);
    }

    /** The fewest arguments a call may give. */
    public int minArgs() {
        return required.size();
    }

    /** The most arguments a call may give, or {@link Integer#MAX_VALUE}. */
    public int maxArgs() {
        return rest != null ? Integer.MAX_VALUE : required.size() + optional.size();
    }

    /** The declaration of the argument at {@code index} (0-based); only for an index the call may give. */
    public Param param(int index) {
        if (index < required.size()) {
            return required.get(index);
        }
        if (index < required.size() + optional.size()) {
            return optional.get(index - required.size());
        }
        return rest;
    }

    /** How many arguments a call takes, for messages: "2", "2 or 3", "1 or more". */
    public String arity() {
        if (rest != null) {
            return minArgs() + " or more";
        }
        if (optional.isEmpty()) {
            return String.valueOf(minArgs());
        }
        return minArgs() + " to " + maxArgs();
    }
}
