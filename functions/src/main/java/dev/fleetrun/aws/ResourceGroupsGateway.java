package dev.fleetrun.aws;

import dev.fleetrun.domain.GroupMembers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.resourcegroups.ResourceGroupsClient;
import software.amazon.awssdk.services.resourcegroups.model.ListGroupResourcesItem;
import software.amazon.awssdk.services.resourcegroups.model.ListGroupResourcesRequest;
import software.amazon.awssdk.services.resourcegroups.model.ListGroupResourcesResponse;
import software.amazon.awssdk.services.resourcegroups.model.NotFoundException;
import software.amazon.awssdk.services.resourcegroups.model.QueryError;
import software.amazon.awssdk.services.resourcegroups.model.ResourceGroupsException;

/**
 * fleetrun's one call to AWS Resource Groups, in domain terms: the members of a group, for a run whose targets are
 * {@code resource-groups:Name}. A tag-based group's members are listed by Resource Groups with the caller's
 * {@code tag:GetResources}, a CloudFormation stack-based group's with {@code cloudformation:DescribeStacks} and
 * {@code cloudformation:ListStackResources} (ListGroupResources' minimum permissions in the API reference); fleetrun's
 * role has the first, so a refusal names what is missing.
 */
public final class ResourceGroupsGateway {
    private final ResourceGroupsClient groups;

    public ResourceGroupsGateway(ResourceGroupsClient groups) {
        this.groups = groups;
    }

    /**
     * Every member of the group, every page, without a resource-type filter: Resource Groups refuses a filter that
     * names a type the group's query does not (so asking for both node types would fail for a group of EC2 instances
     * only); {@link GroupMembers#instanceIds} picks the nodes.
     *
     * @throws GroupNotFoundException when the account and Region have no group of that name
     * @throws GroupRefusedException  when Resource Groups refuses to list it (a permission missing)
     */
    public GroupMembers members(String group) {
        List<GroupMembers.Resource> resources = new ArrayList<>();
        List<String> queryErrors = new ArrayList<>();
        ListGroupResourcesRequest request = ListGroupResourcesRequest.builder().group(group).maxResults(50).build();
        try {
            for (ListGroupResourcesResponse page : groups.listGroupResourcesPaginator(request)) {
                for (ListGroupResourcesItem item : page.resources()) {
                    if (item.identifier() != null) {
                        resources.add(new GroupMembers.Resource(item.identifier().resourceArn(),
                                item.identifier().resourceType()));
                    }
                }
                for (QueryError error : page.queryErrors()) {
                    queryErrors.add(error.errorCodeAsString() + ": " + error.message());
                }
            }
        } catch (NotFoundException e) {
            throw new GroupNotFoundException(group, e);
        } catch (ResourceGroupsException e) {
            if (e.statusCode() == 401 || e.statusCode() == 403) {
                throw new GroupRefusedException(group, e);
            }
            throw e;
        }
        return new GroupMembers(group, resources, queryErrors);
    }

    private static String detail(ResourceGroupsException e) {
        return e.awsErrorDetails().errorCode() + " "
                + Optional.ofNullable(e.awsErrorDetails().errorMessage()).orElse("");
    }

    /** The account and Region have no resource group of that name. */
    public static final class GroupNotFoundException extends RuntimeException {
        public GroupNotFoundException(String group, ResourceGroupsException cause) {
            super("there is no resource group " + group + " in this account and Region (" + detail(cause)
                    + "): check the name, which is case-sensitive (aws resource-groups list-groups)", cause);
        }
    }

    /** Resource Groups refused to list the group's members to fleetrun's role. */
    public static final class GroupRefusedException extends RuntimeException {
        public GroupRefusedException(String group, ResourceGroupsException cause) {
            super("Resource Groups refused to list the members of " + group + " (" + detail(cause) + "): fleetrun's"
                    + " StartRun role may list tag-based groups (resource-groups:ListGroupResources, tag:GetResources);"
                    + " a CloudFormation stack-based group also needs cloudformation:DescribeStacks and"
                    + " cloudformation:ListStackResources", cause);
        }
    }
}
