package dev.fleetrun.records;

import java.time.Instant;

/** A node another run holds: who, and until when. */
public record LeaseConflict(String instanceId, String holderRunId, String holderExecutionArn, Instant until) {

    /** For error messages: "i-0abc is held by run nightly-42 until 2026-11-23T10:00:00Z". */
    public String describe() {
        return instanceId + " is held by run " + holderRunId + " until " + until;
    }
}
