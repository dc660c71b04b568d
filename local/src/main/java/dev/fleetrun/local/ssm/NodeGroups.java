package dev.fleetrun.local.ssm;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The resource groups SendCommand's {@code resource-groups:Name} targets name, as the simulated SSM sees them: for a
 * group name, the test a node must pass to be one of its members now, or empty when there is no such group. The
 * runtime gives SSM its simulated Resource Groups service through this (see
 * {@code dev.fleetrun.local.resourcegroups.NodeResources#groups}); an SSM without one refuses those targets.
 * Called under the SSM's lock: an implementation must not wait for anything that waits for SSM.
 */
@FunctionalInterface
public interface NodeGroups {
    Optional<Predicate<ManagedNode>> members(String groupName);
}
