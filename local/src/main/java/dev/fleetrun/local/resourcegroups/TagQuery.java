package dev.fleetrun.local.resourcegroups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.WireTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query of a tag-based resource group ({@code TAG_FILTERS_1_0}), read from its JSON text
 * {@code {"ResourceTypeFilters": [...], "TagFilters": [{"Key": ..., "Values": [...]}]}} and checked as Resource
 * Groups checks it (each refusal is a {@code BadRequestException} starting "Invalid query: ", worded as moto words
 * the service's own: 1 to 50 tag filters, a key of 1 to 128 characters, 0 to 20 values of at most 256).
 *
 * <p>A resource matches when its type is one of {@code ResourceTypeFilters} ({@code AWS::AllSupported}: any type) and,
 * for every tag filter, it carries the key with one of the values, or with any value when the filter's
 * {@code Values} is empty (the service model's ResourceQuery documentation: all keys, at least one value of each).
 */
public record TagQuery(List<String> resourceTypes, List<TagFilter> tagFilters) {
    public static final String ALL_SUPPORTED = "AWS::AllSupported";
    private static final String TYPE_PATTERN = "AWS::[a-zA-Z0-9]+::[a-zA-Z0-9]+";

    /** One tag filter: the key, and the values any one of which matches (none: any value). */
    public record TagFilter(String key, List<String> values) {
        public TagFilter {
            values = List.copyOf(values);
        }
    }

    public TagQuery {
        resourceTypes = List.copyOf(resourceTypes);
        tagFilters = List.copyOf(tagFilters);
    }

    /** Reads and checks a query's JSON text. */
    public static TagQuery parse(String query) {
        JsonNode root;
        try {
            root = WireTree.JSON.readTree(query == null ? "" : query);
        } catch (IOException e) {
            throw invalid("Invalid query format: check JSON syntax");
        }
        if (root == null || !root.isObject()) {
            throw invalid("Invalid query format: check JSON syntax");
        }
        Set<String> keys = new TreeSet<>();
        root.fieldNames().forEachRemaining(keys::add);
        if (!keys.equals(Set.of("ResourceTypeFilters", "TagFilters"))) {
            throw invalid("Invalid query format: check JSON syntax (a TAG_FILTERS_1_0 query has exactly"
                    + " ResourceTypeFilters and TagFilters, got " + keys + ")");
        }
        JsonNode types = root.get("ResourceTypeFilters");
        if (!types.isArray() || types.isEmpty()) {
            throw invalid("Invalid query format: check JSON syntax (ResourceTypeFilters must be a list of resource types,"
                    + " such as [\"AWS::EC2::Instance\"] or [\"" + ALL_SUPPORTED + "\"])");
        }
        List<String> resourceTypes = new ArrayList<>();
        for (JsonNode type : types) {
            if (!type.isTextual() || !(type.asText().equals(ALL_SUPPORTED) || type.asText().matches(TYPE_PATTERN))) {
                throw invalid("The resource type " + type + " is not valid: use AWS::Service::Type (AWS::EC2::Instance,"
                        + " AWS::SSM::ManagedInstance) or " + ALL_SUPPORTED);
            }
            resourceTypes.add(type.asText());
        }
        JsonNode filters = root.get("TagFilters");
        if (!filters.isArray()) {
            throw invalid("Invalid query format: check JSON syntax");
        }
        if (filters.isEmpty() || filters.size() > 50) {
            throw invalid("The TagFilters list must contain between 1 and 50 elements");
        }
        List<TagFilter> tagFilters = new ArrayList<>();
        for (JsonNode filter : filters) {
            tagFilters.add(tagFilter(filter));
        }
        return new TagQuery(resourceTypes, tagFilters);
    }

    private static TagFilter tagFilter(JsonNode filter) {
        if (!filter.isObject()) {
            throw invalid("Invalid query format: check JSON syntax");
        }
        Set<String> keys = new TreeSet<>();
        filter.fieldNames().forEachRemaining(keys::add);
        if (!keys.equals(Set.of("Key", "Values"))) {
            throw invalid("Invalid query format: check JSON syntax (a tag filter is {\"Key\": ..., \"Values\": [...]},"
                    + " got " + keys + ")");
        }
        JsonNode key = filter.get("Key");
        if (key.isNull() || (key.isTextual() && key.asText().isEmpty())) {
            throw invalid("The TagFilter element cannot have empty or null Key field");
        }
        if (!key.isTextual()) {
            throw invalid("Invalid query format: check JSON syntax");
        }
        if (key.asText().length() > 128) {
            throw invalid("The maximum length for a tag Key is 128");
        }
        List<String> values = new ArrayList<>();
        JsonNode valueList = filter.get("Values");
        {
            if (!valueList.isArray()) {
                throw invalid("Invalid query format: check JSON syntax");
            }
            if (valueList.size() > 20) {
                throw invalid("The TagFilter Values list must contain between 0 and 20 elements");
            }
            for (Iterator<JsonNode> it = valueList.elements(); it.hasNext(); ) {
                JsonNode value = it.next();
                if (!value.isTextual()) {
                    throw invalid("Invalid query format: check JSON syntax");
                }
                if (value.asText().length() > 256) {
                    throw invalid("The maximum length for a tag Value is 256");
                }
                values.add(value.asText());
            }
        }
        return new TagFilter(key.asText(), values);
    }

    /** Whether the query names every resource type. */
    public boolean allTypes() {
        return resourceTypes.contains(ALL_SUPPORTED);
    }

    public boolean matches(TaggedResource resource) {
        if (!allTypes() && !resourceTypes.contains(resource.type())) {
            return false;
        }
        for (TagFilter filter : tagFilters) {
            String value = resource.tags().get(filter.key());
            if (value == null || (!filter.values().isEmpty() && !filter.values().contains(value))) {
                return false;
            }
        }
        return true;
    }

    private static AwsError invalid(String message) {
        return AwsError.of("BadRequestException", "Invalid query: " + message);
    }
}
