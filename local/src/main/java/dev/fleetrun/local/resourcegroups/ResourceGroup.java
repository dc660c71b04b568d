package dev.fleetrun.local.resourcegroups;

import java.util.Map;

/**
 * A tag-based resource group: its name and ARN, what CreateGroup gave it, and its query, kept both as the text the
 * caller sent (GetGroupQuery answers it unchanged) and as the parsed {@link TagQuery} that matches resources.
 * Immutable, so the simulated SSM can read a group without the service's lock.
 */
public record ResourceGroup(String name, String arn, String description, String queryText, TagQuery query,
                            Map<String, String> tags, Integer criticality, String owner, String displayName) {
    public ResourceGroup {
        tags = Map.copyOf(tags);
    }

    /** Whether {@code resource} is a member of this group now (membership follows the resources' tags). */
    public boolean contains(TaggedResource resource) {
        return query.matches(resource);
    }
}
