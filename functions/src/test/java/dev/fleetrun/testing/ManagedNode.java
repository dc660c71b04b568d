package dev.fleetrun.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A managed node of the scripted fleet: what {@code DescribeInstanceInformation} reports, plus the
 * tags its {@code tag:} filters match (SSM does not return tags in that answer).
 */
record ManagedNode(String instanceId, String platformType, String pingStatus, Map<String, String> tags,
                   Instant registeredAt) {
    static final String ID_PATTERN = "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)";
    static final List<String> PLATFORMS = List.of("Linux", "Windows", "MacOS");
    static final List<String> PING_STATUSES = List.of("Online", "ConnectionLost", "Inactive");

    ManagedNode {
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

    ManagedNode withPingStatus(String newPingStatus) {
        return new ManagedNode(instanceId, platformType, newPingStatus, tags, registeredAt);
    }

    /** Hybrid nodes (mi-) are ManagedInstance; the rest EC2Instance. */
    String resourceType() {
        return instanceId.startsWith("mi-") ? "ManagedInstance" : "EC2Instance";
    }

    String sourceType() {
        return instanceId.startsWith("mi-") ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance";
    }

    String platformName() {
        return switch (platformType) {
            case "Windows" -> "Microsoft Windows Server 2022 Datacenter";
            case "MacOS" -> "macOS";
            default -> "Amazon Linux";
        };
    }

    String platformVersion() {
        return switch (platformType) {
            case "Windows" -> "10.0.20348";
            case "MacOS" -> "14.5";
            default -> "2023";
        };
    }
}
