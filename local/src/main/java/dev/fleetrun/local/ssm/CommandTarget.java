package dev.fleetrun.local.ssm;

import dev.fleetrun.local.wire.AwsError;
import java.util.List;

/**
 * One entry of SendCommand's {@code Targets}: a key and the values it accepts. A node matches a
 * target when one of the values matches (OR); it matches a command's Targets when it matches every
 * entry (AND), as SSM documents.
 *
 * <ul>
 *   <li>{@code tag:<key>}: the node has tag {@code <key>} with one of the values;</li>
 *   <li>{@code tag-key}: the node has one of the values as a tag key, whatever its value;</li>
 *   <li>{@code InstanceIds} (any case): the node's id is one of the values.</li>
 * </ul>
 * The resource group keys ({@code resource-groups:Name}, {@code resource-groups:ResourceTypeFilters}) are resolved
 * through the Resource Groups service, by {@link CommandTargets}.
 */
public record CommandTarget(String key, List<String> values) {

    public CommandTarget {
        values = List.copyOf(values);
    }

    /** Refuses keys this simulation cannot resolve, with the error a caller can act on. */
    public void checkSupported() {
        boolean known = key.startsWith("tag:") || key.equals("tag-key") || key.equalsIgnoreCase("InstanceIds")
                || key.equals(CommandTargets.GROUP_NAME) || key.equals(CommandTargets.RESOURCE_TYPES);
        if (!known) {
            throw AwsError.of("InvalidParameters", "Target key '" + key + "' is not valid for Run Command; use"
                    + " tag:<tag-key>, tag-key, InstanceIds, resource-groups:Name or resource-groups:ResourceTypeFilters");
        }
        if (key.equals("tag:")) {
            throw AwsError.of("InvalidParameters", "Target key 'tag:' needs a tag key after the colon, e.g. tag:Role");
        }
    }

    public boolean matches(ManagedNode node) {
        if (key.startsWith("tag:")) {
            String value = node.tags().get(key.substring("tag:".length()));
            return value != null && values.contains(value);
        }
        if (key.equals("tag-key")) {
            return node.tags().keySet().stream().anyMatch(values::contains);
        }
        return values.contains(node.instanceId());
    }

    /** Whether the node matches every one of {@code targets}. */
    public static boolean matchesAll(List<CommandTarget> targets, ManagedNode node) {
        return targets.stream().allMatch(target -> target.matches(node));
    }
}
