package dev.fleetrun.domain;

import java.util.Objects;

/**
 * A node as SSM's {@code DescribeInstanceInformation} reports it: the candidates a run's targets matched.
 *
 * @param instanceId {@code i-...} or {@code mi-...}
 * @param name       the node's name in SSM, may be {@code null}
 * @param platform   its operating system family
 * @param pingStatus {@code Online}, {@code ConnectionLost} or {@code Inactive}
 */
public record ManagedNode(String instanceId, String name, Platform platform, String pingStatus) {

    /** The ping status of a node whose agent reported recently. */
    public static final String ONLINE = "Online";

    public ManagedNode {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(platform, "platform");
    }

    /** Whether the node's SSM agent reported recently, so a command can reach it. */
    public boolean online() {
        return ONLINE.equalsIgnoreCase(pingStatus);
    }
}
