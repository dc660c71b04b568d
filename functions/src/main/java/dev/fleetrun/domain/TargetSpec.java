package dev.fleetrun.domain;

import java.util.List;
import java.util.Objects;

/**
 * One target filter of a run request, with SSM's meaning: {@code tag:<key>} matches nodes whose tag has one of
 * {@code values}; {@code tag-key} matches nodes that carry one of the tag keys in {@code values};
 * {@code resource-groups:Name} matches the members of the one resource group named, and
 * {@code resource-groups:ResourceTypeFilters} narrows them to those resource types ({@value #EC2_INSTANCE},
 * {@value #MANAGED_INSTANCE}). Several filters are AND-ed, the values of one filter OR-ed.
 */
public record TargetSpec(String key, List<String> values) {

    public static final String TAG_PREFIX = "tag:";
    public static final String TAG_KEY = "tag-key";
    public static final String RESOURCE_GROUP = "resource-groups:Name";
    public static final String RESOURCE_TYPE_FILTERS = "resource-groups:ResourceTypeFilters";
    /** The resource type of an EC2 instance in Resource Groups. */
    public static final String EC2_INSTANCE = "AWS::EC2::Instance";
    /** The resource type of a hybrid managed node ({@code mi-}) in Resource Groups. */
    public static final String MANAGED_INSTANCE = "AWS::SSM::ManagedInstance";
    /** The resource types Run Command can send to: managed nodes. */
    public static final List<String> NODE_RESOURCE_TYPES = List.of(EC2_INSTANCE, MANAGED_INSTANCE);

    public TargetSpec {
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }

    /** Whether this filter is resolved through Resource Groups rather than by SSM's tag filters. */
    public boolean resourceGroupKey() {
        return key.equals(RESOURCE_GROUP) || key.equals(RESOURCE_TYPE_FILTERS);
    }
}
