package dev.fleetrun.domain;

import java.util.Locale;

/**
 * Which nodes a rollback runs on after a breach: the nodes where the command succeeded (the default: a node that
 * failed is assumed not to have changed), or every node the run touched (sent the command to), for commands
 * that can leave a node half-changed when they fail.
 */
public enum RollbackScope {
    SUCCEEDED, TOUCHED;

    /** The request's spelling: {@code succeeded} or {@code touched}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the request's spelling, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static RollbackScope fromId(String id) {
        for (RollbackScope s : values()) {
            if (s.id().equalsIgnoreCase(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be \"succeeded\" (roll back the nodes where the command succeeded, the default)"
                + " or \"touched\" (every node the command was sent to), got \"" + id + "\"");
    }
}
