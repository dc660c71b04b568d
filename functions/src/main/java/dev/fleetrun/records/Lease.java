package dev.fleetrun.records;

import java.time.Instant;

/** A run's hold on a node: no other run may send to the node before {@code until}. */
public record Lease(String instanceId, String runId, String executionArn, Instant until) {
}
