package dev.fleetrun.records;

/** The send state of one batch (one SendCommand call). */
public enum BatchState {
    /** Not claimed by any SendWave attempt. */
    PLANNED,
    /** A SendWave attempt claimed it and may be calling SendCommand. */
    CLAIMED,
    /** SendCommand returned; the command id is recorded. */
    SENT
}
