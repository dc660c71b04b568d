package dev.fleetrun.local.ssm;

import dev.fleetrun.local.wire.AwsError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which nodes a SendCommand's {@code Targets} reach: a node must match every entry (AND), and one value of an
 * entry (OR), as SSM documents ({@link CommandTarget}). Besides the tag and id keys:
 * <ul>
 *   <li>{@code resource-groups:Name}: one resource group name ("a maximum of one resource group name per command",
 *       Run Command's "Run commands at scale"); the node is a member of that group now, as the group's query sees
 *       its tags ({@link NodeGroups});</li>
 *   <li>{@code resource-groups:ResourceTypeFilters}: 1 to 5 resource types; with {@code resource-groups:Name}, only
 *       the group's members of those types (hybrid {@code mi-} nodes are {@code AWS::SSM::ManagedInstance}, EC2
 *       instances {@code AWS::EC2::Instance}), as the Maintenance Windows guide describes the pair. Alone it is
 *       refused with {@code NotImplementedLocally}: the Run Command guide shows it so but does not say what it targets.</li>
 * </ul>
 * A group that does not exist is refused with {@code InvalidParameters} before anything is sent (this simulation's
 * choice: AWS's answer there was not checked); a group with no member node ends the command as any Targets that
 * match nothing do.
 */
final class CommandTargets {
    static final String GROUP_NAME = "resource-groups:Name";
    static final String RESOURCE_TYPES = "resource-groups:ResourceTypeFilters";
    private static final String RESOURCE_TYPE_PATTERN = "AWS::[a-zA-Z0-9]+::[a-zA-Z0-9]+";

    private CommandTargets() {
    }

    /** The ids of the nodes, in fleet order, that {@code targets} reach; {@code groups} null: no Resource Groups here. */
    static List<String> resolve(List<CommandTarget> targets, List<ManagedNode> nodes, NodeGroups groups) {
        Predicate<ManagedNode> all = node -> true;
        CommandTarget group = null;
        CommandTarget types = null;
        for (CommandTarget target : targets) {
            if (target.key().equals(GROUP_NAME)) {
                group = target;
            } else if (target.key().equals(RESOURCE_TYPES)) {
                types = target;
            } else {
                all = all.and(target::matches);
            }
        }
        if (group != null || types != null) {
            all = all.and(groupMembers(group, types, groups));
        }
        List<String> matched = new ArrayList<>();
        for (ManagedNode node : nodes) {
            if (all.test(node)) {
                matched.add(node.instanceId());
            }
        }
        return matched;
    }

    private static Predicate<ManagedNode> groupMembers(CommandTarget group, CommandTarget types, NodeGroups groups) {
        if (groups == null) {
            throw AwsError.notImplemented("Targets with key " + (group != null ? group : types).key()
                    + " on an SSM without a Resource Groups service", "target by tag:<key>, tag-key or InstanceIds,"
                    + " or run the embedded runtime (fleetrun serve), which has one");
        }
        if (group == null) {
            throw AwsError.notImplemented("Targets with key " + RESOURCE_TYPES + " without " + GROUP_NAME,
                    "add a target Key=" + GROUP_NAME + ",Values=GROUP: the types then narrow that group's members");
        }
        if (group.values().size() != 1) {
            throw AwsError.of("InvalidParameters", "Target key " + GROUP_NAME + " takes exactly one resource group name"
                    + " (a maximum of one resource group name per command), got " + group.values().size());
        }
        String name = group.values().get(0);
        Predicate<ManagedNode> members = groups.members(name).orElseThrow(() -> AwsError.of("InvalidParameters",
                "Resource group " + name + " does not exist in this account and Region: create it first (aws"
                        + " resource-groups create-group --name " + name + " --resource-query ...), or list the"
                        + " groups with aws resource-groups list-groups. Nothing was sent."));
        if (types == null) {
            return members;
        }
        if (types.values().isEmpty() || types.values().size() > 5) {
            throw AwsError.of("InvalidParameters", "Target key " + RESOURCE_TYPES + " takes 1 to 5 resource types, got "
                    + types.values().size());
        }
        for (String type : types.values()) {
            if (!type.matches(RESOURCE_TYPE_PATTERN)) {
                throw AwsError.of("InvalidParameters", "Resource type '" + type + "' of " + RESOURCE_TYPES + " is not"
                        + " a resource type: write AWS::EC2::Instance or AWS::SSM::ManagedInstance");
            }
        }
        List<String> allowed = types.values();
        return members.and(node -> allowed.contains(node.sourceType()));
    }
}
