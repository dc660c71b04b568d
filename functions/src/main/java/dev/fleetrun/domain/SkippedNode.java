package dev.fleetrun.domain;

/** A node left out of a run at planning, and why, in words an operator can act on. It is never sent the command. */
public record SkippedNode(String instanceId, String reason) {
}
