package dev.fleetrun.local.ssm;

import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.RequestFields;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code Filters} of DescribeInstanceInformation ({@code [{"Key", "Values"}]}, values 1 to 100):
 * {@code tag:<key>} (the tag has one of the values), {@code tag-key} (the node has one of the tag
 * keys), {@code PingStatus}, {@code InstanceIds}, {@code PlatformTypes} (also accepted as
 * {@code PlatformType}) and {@code ResourceType}. Several filters must all match; values of one
 * filter are alternatives. As SSM documents, tag filters cannot be combined with other filter types.
 */
public final class InstanceFilters {
    private InstanceFilters() {
    }

    public static Predicate<ManagedNode> of(JsonNode input) {
        if (RequestFields.has(input, "InstanceInformationFilterList")) {
            throw AwsError.notImplemented("the deprecated InstanceInformationFilterList",
                    "use Filters ([{\"Key\": ..., \"Values\": [...]}]) instead");
        }
        List<JsonNode> filters = RequestFields.objects(input, "Filters");
        boolean tags = filters.stream().anyMatch(f -> isTagKey(RequestFields.requiredText(f, "Key")));
        boolean others = filters.stream().anyMatch(f -> !isTagKey(RequestFields.requiredText(f, "Key")));
        if (tags && others) {
            throw AwsError.of("InvalidFilterKey", "Tag filters can't be combined with other filter types in"
                    + " DescribeInstanceInformation: filter by tags alone, then check PingStatus and platform"
                    + " on the nodes returned");
        }
        Predicate<ManagedNode> all = node -> true;
        for (JsonNode filter : filters) {
            String key = RequestFields.requiredText(filter, "Key");
            List<String> values = RequestFields.textList(filter, "Values");
            RequestFields.checkSize("Values", values, 1, 100);
            all = all.and(one(key, values));
        }
        return all;
    }

    private static boolean isTagKey(String key) {
        return key.startsWith("tag:") || key.equals("tag-key");
    }

    private static Predicate<ManagedNode> one(String key, List<String> values) {
        if (isTagKey(key)) {
            return new CommandTarget(key, values)::matches;
        }
        return switch (key) {
            case "InstanceIds" -> node -> values.contains(node.instanceId());
            case "PingStatus" -> {
                checkValues(key, values, ManagedNode.PING_STATUSES);
                yield node -> values.contains(node.pingStatus());
            }
            case "PlatformTypes", "PlatformType" -> {
                checkValues(key, values, ManagedNode.PLATFORMS);
                yield node -> values.contains(node.platformType());
            }
            case "ResourceType" -> node -> values.contains(node.resourceType());
            default -> throw AwsError.of("InvalidFilterKey", "Filter key '" + key + "' is not one this simulation knows; use"
                    + " tag:<key>, tag-key, InstanceIds, PingStatus, PlatformTypes or ResourceType");
        };
    }

    private static void checkValues(String key, List<String> values, List<String> allowed) {
        for (String value : values) {
            if (!allowed.contains(value)) {
                throw AwsError.of("InvalidInstanceInformationFilterValue", "Filter " + key + " value '" + value
                        + "' is not valid; use " + allowed);
            }
        }
    }
}
