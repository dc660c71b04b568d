package dev.fleetrun.local.ssm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A managed node as SSM's inventory knows it: what {@code DescribeInstanceInformation} reports, plus
 * the tags its {@code tag:} filters and SendCommand's {@code Targets} match (SSM does not return tags
 * in that answer). Immutable; a change of ping status is a new value ({@link #withPingStatus}).
 *
 * @param instanceId   {@code i-} + 8 or 17 word characters, or {@code mi-} + 17 (hybrid node)
 * @param platformType Linux, Windows or MacOS
 * @param pingStatus   Online, ConnectionLost or Inactive
 * @param tags         the node's tags
 * @param registeredAt when the node joined the fleet
 */
public record ManagedNode(String instanceId, String platformType, String pingStatus, Map<String, String> tags,
                          Instant registeredAt) {
    /** The InstanceId pattern of SSM's model. */
    public static final String ID_PATTERN = "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)";
    public static final List<String> PLATFORMS = List.of("Linux", "Windows", "MacOS");
    public static final List<String> PING_STATUSES = List.of("Online", "ConnectionLost", "Inactive");
    public static final String ONLINE = "Online";
    public static final String CONNECTION_LOST = "ConnectionLost";

    public ManagedNode {
        if (instanceId == null || !instanceId.matches(ID_PATTERN)) {
            throw new IllegalArgumentException("Node id '" + instanceId + "' is not an SSM managed node id: use"
                    + " i- followed by 8 or 17 word characters, or mi- followed by 17 (e.g. i-0123456789abcdef0)");
        }
        if (!PLATFORMS.contains(platformType)) {
            throw new IllegalArgumentException("Platform '" + platformType + "' of " + instanceId
                    + " is not an SSM PlatformType; use one of " + PLATFORMS);
        }
        if (!PING_STATUSES.contains(pingStatus)) {
            throw new IllegalArgumentException("Ping status '" + pingStatus + "' of " + instanceId
                    + " is not an SSM PingStatus; use one of " + PING_STATUSES);
        }
        tags = Map.copyOf(tags);
    }

    public ManagedNode withPingStatus(String newPingStatus) {
        return new ManagedNode(instanceId, platformType, newPingStatus, tags, registeredAt);
    }

    public boolean online() {
        return ONLINE.equals(pingStatus);
    }

    /** Hybrid nodes (mi-) are ManagedInstance; the rest EC2Instance. */
    public String resourceType() {
        return instanceId.startsWith("mi-") ? "ManagedInstance" : "EC2Instance";
    }

    public String sourceType() {
        return instanceId.startsWith("mi-") ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance";
    }

    public String platformName() {
        return switch (platformType) {
            case "Windows" -> "Microsoft Windows Server 2022 Datacenter";
            case "MacOS" -> "macOS";
            default -> "Amazon Linux";
        };
    }

    public String platformVersion() {
        return switch (platformType) {
            case "Windows" -> "10.0.20348";
            case "MacOS" -> "14.5";
            default -> "2023";
        };
    }
}
