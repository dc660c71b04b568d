package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The members of a resource group as Resource Groups' {@code ListGroupResources} lists them, and the managed node ids
 * among them: an EC2 instance is {@code AWS::EC2::Instance}, {@code arn:PARTITION:ec2:REGION:ACCOUNT:instance/i-...};
 * a hybrid node is {@code AWS::SSM::ManagedInstance}, {@code arn:PARTITION:ssm:REGION:ACCOUNT:managed-instance/mi-...}
 * (the resource types of the Service Authorization Reference for EC2 and Systems Manager). Members of other types
 * (a bucket, a database) are not nodes and are left out; so are nodes of a type the run's
 * {@code resource-groups:ResourceTypeFilters} leaves out.
 *
 * @param group       the group's name
 * @param resources   every member, in the order listed
 * @param queryErrors what Resource Groups reported it could not evaluate of the group's query ({@code QueryErrors})
 */
public record GroupMembers(String group, List<Resource> resources, List<String> queryErrors) {
    private static final Pattern NODE_ARN = Pattern.compile(
            "^arn:[a-z-]+:(ec2|ssm):[^:]*:[^:]*:(instance|managed-instance)/((i|mi)-[0-9a-zA-Z]+)$");

    /** One member: its ARN and resource type. */
    public record Resource(String arn, String type) {
    }

    public GroupMembers {
        resources = List.copyOf(resources);
        queryErrors = List.copyOf(queryErrors);
    }

    /** The ids of the members that are managed nodes of one of {@code types}, in order, each once. */
    public List<String> instanceIds(List<String> types) {
        Set<String> ids = new LinkedHashSet<>();
        for (Resource r : resources) {
            if (!types.contains(r.type()) || !TargetSpec.NODE_RESOURCE_TYPES.contains(r.type())) {
                continue;
            }
            Matcher m = NODE_ARN.matcher(r.arn());
            if (m.matches()) {
                ids.add(m.group(3));
            }
        }
        return new ArrayList<>(ids);
    }
}
