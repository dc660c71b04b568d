package dev.fleetrun.local.resourcegroups;

import dev.fleetrun.local.ssm.ManagedNode;
import dev.fleetrun.local.ssm.NodeGroups;
import dev.fleetrun.local.ssm.SimulatedSsm;
import java.util.List;
import java.util.function.Supplier;

/**
 * The simulated fleet's managed nodes as Resource Groups sees them: an EC2 instance ({@code i-}) is
 * {@code AWS::EC2::Instance}, {@code arn:aws:ec2:REGION:ACCOUNT:instance/ID}; a hybrid node ({@code mi-}) is
 * {@code AWS::SSM::ManagedInstance}, {@code arn:aws:ssm:REGION:ACCOUNT:managed-instance/ID} (the resource types of
 * the Service Authorization Reference for EC2 and Systems Manager); each with its tags. And the other way round,
 * the groups as the simulated SSM resolves {@code resource-groups:Name} targets through them.
 */
public final class NodeResources {
    public static final String EC2_INSTANCE = "AWS::EC2::Instance";
    public static final String MANAGED_INSTANCE = "AWS::SSM::ManagedInstance";

    private NodeResources() {
    }

    public static TaggedResource of(ManagedNode node, String region, String accountId) {
        boolean hybrid = node.instanceId().startsWith("mi-");
        String arn = hybrid
                ? "arn:aws:ssm:" + region + ":" + accountId + ":managed-instance/" + node.instanceId()
                : "arn:aws:ec2:" + region + ":" + accountId + ":instance/" + node.instanceId();
        return new TaggedResource(arn, hybrid ? MANAGED_INSTANCE : EC2_INSTANCE, node.tags());
    }

    /** The resources of a simulated SSM's fleet as it is at each call, for {@link ResourceGroupsService}. */
    public static Supplier<List<TaggedResource>> of(Supplier<SimulatedSsm> ssm, String region, String accountId) {
        return () -> ssm.get().nodes().stream().map(node -> of(node, region, accountId)).toList();
    }

    /** The groups of {@code service} for the simulated SSM's {@code resource-groups:Name} targets. */
    public static NodeGroups groups(ResourceGroupsService service, String region, String accountId) {
        return name -> service.group(name).map(group -> node -> group.contains(of(node, region, accountId)));
    }
}
