package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A resource group a fleet file declares (local/FLEET.md, {@code groups}): made at start as CreateGroup makes a
 * tag-based group, so {@code resource-groups:Name} targets work on a fresh runtime.
 *
 * @param name        the group's name
 * @param description its description, or null
 * @param query       the {@code TAG_FILTERS_1_0} query, as a JSON object ({@code ResourceTypeFilters},
 *                    {@code TagFilters}); the Resource Groups service checks it
 * @param where       where the file declares it, for error messages ({@code fleet.json groups[0]})
 */
public record FleetGroup(String name, String description, JsonNode query, String where) {
    public FleetGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
    }
}
