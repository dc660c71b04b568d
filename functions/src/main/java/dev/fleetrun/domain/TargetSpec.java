package dev.fleetrun.domain;

import java.util.List;
import java.util.Objects;

/**
 * One target filter of a run request, with SSM's meaning: {@code tag:<key>} matches nodes whose tag has one of
 * {@code values}; {@code tag-key} matches nodes that carry one of the tag keys in {@code values};
 * {@code resource-groups:Name} matches the members of the one resource group named. Several filters are
 * AND-ed, the values of one filter OR-ed.
 */
public record TargetSpec(String key, List<String> values) {

    public static final String TAG_PREFIX = "tag:";
    public static final String TAG_KEY = "tag-key";
    public static final String RESOURCE_GROUP = "resource-groups:Name";

    public TargetSpec {
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }
}
