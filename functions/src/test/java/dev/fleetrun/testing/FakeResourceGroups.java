package dev.fleetrun.testing;

import dev.fleetrun.local.resourcegroups.NodeResources;
import dev.fleetrun.local.resourcegroups.ResourceGroupsService;
import dev.fleetrun.local.resourcegroups.TaggedResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Resource Groups for the handler component tests: the embedded runtime's own {@link ResourceGroupsService}, whose
 * resources are the fake fleet's nodes as they are at each call, plus whatever else a test adds (an instance that
 * is no managed node, a bucket), so a group can have members SSM does not know.
 */
public final class FakeResourceGroups {
    private final ResourceGroupsService service;
    private final List<TaggedResource> others = new CopyOnWriteArrayList<>();

    FakeResourceGroups(Clock clock, FakeSsm ssm) {
        service = new ResourceGroupsService(clock, FakeAws.REGION, FakeAws.ACCOUNT_ID, () -> {
            List<TaggedResource> all = new ArrayList<>();
            ssm.nodes().forEach(node -> all.add(NodeResources.of(node, FakeAws.REGION, FakeAws.ACCOUNT_ID)));
            all.addAll(others);
            return all;
        });
    }

    ResourceGroupsService service() {
        return service;
    }

    /** A tag-based group: {@code query} is the TAG_FILTERS_1_0 query text. */
    public FakeResourceGroups createGroup(String name, String query) {
        service.createGroup(name, null, query);
        return this;
    }

    /** A group of the resources tagged {@code key} = one of {@code values}, of every type. */
    public FakeResourceGroups createGroup(String name, String key, String... values) {
        StringBuilder list = new StringBuilder();
        for (String value : values) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(value).append('"');
        }
        return createGroup(name, "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\""
                + key + "\",\"Values\":[" + list + "]}]}");
    }

    /** A resource that is not a node of the fleet: an EC2 instance without an SSM agent, a bucket. */
    public FakeResourceGroups addResource(String arn, String type, Map<String, String> tags) {
        others.add(new TaggedResource(arn, type, tags));
        return this;
    }
}
