package dev.fleetrun.local.sfn.intrinsics;

/**
 * One declared argument of an intrinsic function: its name (for messages) and the kind of value it takes.
 *
 * @param name what the argument means, such as {@code chunkSize}
 * @param type the kind of value it must be
 */
public record Param(String name, ArgType type) {

    /** A declared argument. */
    public static Param of(String name, ArgType type) {
        return new Param(name, type);
    }
}
