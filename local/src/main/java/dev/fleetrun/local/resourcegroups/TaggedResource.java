package dev.fleetrun.local.resourcegroups;

import java.util.Map;
import java.util.Objects;

/**
 * A resource a resource group's query can match: its ARN, its CloudFormation-style type
 * ({@code AWS::EC2::Instance}, {@code AWS::SSM::ManagedInstance}) and its tags.
 */
public record TaggedResource(String arn, String type, Map<String, String> tags) {
    public TaggedResource {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(type, "type");
        tags = Map.copyOf(tags);
    }
}
