package dev.fleetrun.local.ssm;

import java.util.Map;
import java.util.TreeMap;

/**
 * One node of a simulated fleet as it is declared (fleet file, {@link Fleet#generate}): its id,
 * platform, ping status, tags, behaviour, and whether its scripts may use the network (when scripts are
 * isolated, {@link ScriptIsolation}; without isolation they always can). A node whose profile is
 * {@code offline} starts ConnectionLost whatever {@code pingStatus} says.
 */
public record FleetNode(String instanceId, String platformType, String pingStatus, Map<String, String> tags,
                        NodeProfile profile, boolean network) {

    public FleetNode {
        tags = Map.copyOf(tags);
        if (profile == null) {
            throw new IllegalArgumentException("node " + instanceId + " needs a profile (NodeProfile.HEALTHY for none)");
        }
        // Checks id, platform and ping status with the inventory's own rules.
        new ManagedNode(instanceId, platformType, pingStatus, tags, java.time.Instant.EPOCH);
    }

    /** A node whose scripts have no network. */
    public FleetNode(String instanceId, String platformType, String pingStatus, Map<String, String> tags,
                     NodeProfile profile) {
        this(instanceId, platformType, pingStatus, tags, profile, false);
    }

    /** This node, its scripts with or without the network. */
    public FleetNode withNetwork(boolean value) {
        return new FleetNode(instanceId, platformType, pingStatus, tags, profile, value);
    }

    /** A Linux node, Online, with these tags and profile. */
    public static FleetNode linux(String instanceId, Map<String, String> tags, NodeProfile profile) {
        return new FleetNode(instanceId, "Linux", ManagedNode.ONLINE, tags, profile);
    }

    /** The ping status the node starts with. */
    public String initialPingStatus() {
        return profile.offline() ? ManagedNode.CONNECTION_LOST : pingStatus;
    }

    @Override
    public String toString() {
        return instanceId + " (" + platformType + ", " + initialPingStatus() + ", tags " + new TreeMap<>(tags)
                + (network ? ", network" : "") + ")";
    }
}
