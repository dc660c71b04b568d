package dev.fleetrun.domain;

/** A run sends commands in two phases: the roll-out itself, and the rollback after a breach. */
public enum Phase {
    MAIN, ROLLBACK;

    /** The lower-case name used in state payloads, command comments and record keys. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Phase fromId(String id) {
        for (Phase p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + id + "' (expected main or rollback)");
    }
}
