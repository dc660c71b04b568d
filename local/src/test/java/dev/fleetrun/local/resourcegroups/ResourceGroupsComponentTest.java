package dev.fleetrun.local.resourcegroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.s3.S3Service;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.resourcegroups.ResourceGroupsClient;
import software.amazon.awssdk.services.resourcegroups.model.BadRequestException;
import software.amazon.awssdk.services.resourcegroups.model.CreateGroupResponse;
import software.amazon.awssdk.services.resourcegroups.model.GroupIdentifier;
import software.amazon.awssdk.services.resourcegroups.model.ListGroupResourcesItem;
import software.amazon.awssdk.services.resourcegroups.model.ListGroupResourcesResponse;
import software.amazon.awssdk.services.resourcegroups.model.NotFoundException;
import software.amazon.awssdk.services.resourcegroups.model.QueryType;
import software.amazon.awssdk.services.resourcegroups.model.ResourceFilterName;
import software.amazon.awssdk.services.resourcegroups.model.ResourceGroupsException;
import software.amazon.awssdk.services.resourcegroups.model.ResourceIdentifier;
import software.amazon.awssdk.services.resourcegroups.model.ResourceQuery;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The simulated Resource Groups through the SDK for Java's own {@link ResourceGroupsClient} (2.40.2 over the 2.41.28
 * core, REST-JSON): every operation it implements, its errors with their HTTP statuses and SDK exception classes,
 * pages, and S3 on the same endpoint still answering the REST requests that are not signed for resource-groups.
 */
class ResourceGroupsComponentTest {
    private static final String WEB_QUERY = "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\",\"AWS::SSM::ManagedInstance\"],"
            + "\"TagFilters\":[{\"Key\":\"Role\",\"Values\":[\"web\",\"api\"]},{\"Key\":\"Environment\",\"Values\":[\"production\"]}]}";

    private final List<TaggedResource> resources = new CopyOnWriteArrayList<>(List.of(
            ec2("i-00000000000000001", Map.of("Role", "web", "Environment", "production")),
            ec2("i-00000000000000002", Map.of("Role", "api", "Environment", "production")),
            ec2("i-00000000000000003", Map.of("Role", "web", "Environment", "staging")),
            ec2("i-00000000000000004", Map.of("Environment", "production")),
            hybrid("mi-0123456789abcdef0", Map.of("Role", "web", "Environment", "production"))));
    private final AwsServer server = AwsServer.start(0);
    private final ResourceGroupsService service =
            new ResourceGroupsService(Clock.systemUTC(), "us-east-1", "123456789012", () -> resources).serveOn(server);
    private final S3Service s3Service = new S3Service(Clock.systemUTC(), "us-east-1").serveOn(server);
    private final ResourceGroupsClient client = ResourceGroupsClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(LocalClients.credentials(server))
            .endpointOverride(server.endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
            .build();

    @AfterEach
    void close() {
        server.close();
    }

    private static TaggedResource ec2(String id, Map<String, String> tags) {
        return new TaggedResource("arn:aws:ec2:us-east-1:123456789012:instance/" + id, "AWS::EC2::Instance", tags);
    }

    private static TaggedResource hybrid(String id, Map<String, String> tags) {
        return new TaggedResource("arn:aws:ssm:us-east-1:123456789012:managed-instance/" + id,
                "AWS::SSM::ManagedInstance", tags);
    }

    private CreateGroupResponse create(String name, String query) {
        return client.createGroup(r -> r.name(name).description("web tier")
                .resourceQuery(ResourceQuery.builder().type(QueryType.TAG_FILTERS_1_0).query(query).build())
                .tags(Map.of("Team", "ops")));
    }

    private List<String> members(String group) {
        return client.listGroupResourcesPaginator(r -> r.group(group)).resources().stream()
                .map(ListGroupResourcesItem::identifier).map(ResourceIdentifier::resourceArn).toList();
    }

    @Test
    void aTagQueryGroupListsTheResourcesWithEveryTagKeyAndOneOfItsValues() {
        CreateGroupResponse created = create("web-servers", WEB_QUERY);
        assertEquals("arn:aws:resource-groups:us-east-1:123456789012:group/web-servers", created.group().groupArn());
        assertEquals("web tier", created.group().description());
        assertEquals(WEB_QUERY, created.resourceQuery().query());
        assertEquals(Map.of("Team", "ops"), created.tags());

        assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000001",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000002",
                "arn:aws:ssm:us-east-1:123456789012:managed-instance/mi-0123456789abcdef0"), members("web-servers"));
        ListGroupResourcesResponse one = client.listGroupResources(r -> r.group(created.group().groupArn()));
        assertEquals("AWS::EC2::Instance", one.resources().get(0).identifier().resourceType());
        assertEquals(one.resources().stream().map(ListGroupResourcesItem::identifier).toList(), one.resourceIdentifiers());
        assertTrue(one.queryErrors().isEmpty());
    }

    @Test
    void membersFollowTheResourcesTagsAsTheyAreNow() {
        create("web-servers", WEB_QUERY);
        resources.add(ec2("i-00000000000000005", Map.of("Role", "web", "Environment", "production")));
        resources.remove(0);
        assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000002",
                "arn:aws:ssm:us-east-1:123456789012:managed-instance/mi-0123456789abcdef0",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000005"), members("web-servers"));
    }

    @Test
    void aResourceTypeFilterNarrowsTheMembersAndATypeOutsideTheQueryIsRefused() {
        create("web-servers", WEB_QUERY);
        ListGroupResourcesResponse hybrids = client.listGroupResources(r -> r.group("web-servers")
                .filters(f -> f.name(ResourceFilterName.RESOURCE_TYPE).values("AWS::SSM::ManagedInstance")));
        assertEquals(List.of("AWS::SSM::ManagedInstance"),
                hybrids.resources().stream().map(i -> i.identifier().resourceType()).toList());

        BadRequestException outside = assertThrows(BadRequestException.class, () -> client.listGroupResources(r -> r
                .group("web-servers").filters(f -> f.name(ResourceFilterName.RESOURCE_TYPE).values("AWS::S3::Bucket"))));
        assertEquals(400, outside.statusCode());
        assertTrue(outside.getMessage().contains("The resource types specified as filters in the request are not valid"),
                outside.getMessage());

        create("everything", "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Environment\",\"Values\":[]}]}");
        assertEquals(5, members("everything").size(), "an empty Values list matches the key with any value");
        assertTrue(client.listGroupResources(r -> r.group("everything")
                .filters(f -> f.name(ResourceFilterName.RESOURCE_TYPE).values("AWS::S3::Bucket"))).resources().isEmpty());
    }

    @Test
    void pagesCoverEveryMemberOnce() {
        create("web-servers", WEB_QUERY);
        ListGroupResourcesResponse first = client.listGroupResources(r -> r.group("web-servers").maxResults(2));
        assertEquals(2, first.resources().size());
        assertTrue(first.nextToken().matches("^[a-zA-Z0-9+/]*={0,2}$"), first.nextToken());
        ListGroupResourcesResponse second = client.listGroupResources(r -> r.group("web-servers").maxResults(2)
                .nextToken(first.nextToken()));
        assertEquals(1, second.resources().size());
        assertNull(second.nextToken());
        assertThrows(BadRequestException.class, () -> client.listGroupResources(r -> r.group("web-servers").maxResults(51)));
    }

    @Test
    void getGroupGetGroupQueryListGroupsAndDeleteGroupAnswerAsTheModelSays() {
        create("web-servers", WEB_QUERY);
        create("api-servers", "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\"],\"TagFilters\":[{\"Key\":\"Role\",\"Values\":[\"api\"]}]}");

        assertEquals("web-servers", client.getGroup(r -> r.group("web-servers")).group().name());
        assertEquals("web-servers", client.getGroup(r -> r.group(
                "arn:aws:resource-groups:us-east-1:123456789012:group/web-servers")).group().name());
        assertEquals(WEB_QUERY, client.getGroupQuery(r -> r.group("web-servers")).groupQuery().resourceQuery().query());
        assertEquals(List.of("api-servers", "web-servers"), client.listGroupsPaginator(r -> r.maxResults(1))
                .groupIdentifiers().stream().map(GroupIdentifier::groupName).toList());
        assertEquals(List.of("web-servers"), client.listGroups(r -> r.filters(f -> f.name("resource-type")
                .values("AWS::SSM::ManagedInstance"))).groupIdentifiers().stream().map(GroupIdentifier::groupName).toList());
        assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000002"),
                client.searchResources(r -> r.resourceQuery(q -> q.type(QueryType.TAG_FILTERS_1_0).query(
                        "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\"],\"TagFilters\":[{\"Key\":\"Role\",\"Values\":[\"api\"]}]}")))
                        .resourceIdentifiers().stream().map(ResourceIdentifier::resourceArn).toList());

        assertEquals("api-servers", client.deleteGroup(r -> r.group("api-servers")).group().name());
        NotFoundException gone = assertThrows(NotFoundException.class, () -> client.getGroup(r -> r.group("api-servers")));
        assertEquals(404, gone.statusCode());
        assertEquals("NotFoundException", gone.awsErrorDetails().errorCode());
        assertTrue(gone.awsErrorDetails().errorMessage().contains("Cannot find group 'api-servers'"), gone.getMessage());
        assertThrows(NotFoundException.class, () -> client.listGroupResources(r -> r.group("api-servers")));
    }

    @Test
    void createGroupRefusesWhatResourceGroupsRefuses() {
        create("web-servers", WEB_QUERY);
        List<String> messages = new ArrayList<>();
        for (Runnable bad : List.<Runnable>of(
                () -> create("web-servers", WEB_QUERY),
                () -> create("AWS-mine", WEB_QUERY),
                () -> create("bad name!", WEB_QUERY),
                () -> create("no-json", "Role=web"),
                () -> create("no-filters", "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\"],\"TagFilters\":[]}"),
                () -> create("empty-key", "{\"ResourceTypeFilters\":[\"AWS::EC2::Instance\"],\"TagFilters\":[{\"Key\":\"\",\"Values\":[]}]}"),
                () -> client.createGroup(r -> r.name("tagged").resourceQuery(q -> q.type(QueryType.TAG_FILTERS_1_0).query(WEB_QUERY))
                        .tags(Map.of("aws:owner", "me"))))) {
            BadRequestException e = assertThrows(BadRequestException.class, bad::run);
            assertEquals(400, e.statusCode());
            messages.add(e.awsErrorDetails().errorMessage());
        }
        assertEquals("Cannot create group: group already exists", messages.get(0));
        assertEquals("Group name must not start with 'AWS'", messages.get(1));
        assertTrue(messages.get(2).startsWith("1 validation error detected: Value 'bad name!' at 'name'"), messages.get(2));
        assertEquals("Invalid query: Invalid query format: check JSON syntax", messages.get(3));
        assertEquals("Invalid query: The TagFilters list must contain between 1 and 50 elements", messages.get(4));
        assertEquals("Invalid query: The TagFilter element cannot have empty or null Key field", messages.get(5));
        assertEquals("Tag keys must not start with 'aws:'", messages.get(6));

        ResourceGroupsException stack = assertThrows(ResourceGroupsException.class, () -> client.createGroup(r -> r
                .name("stack").resourceQuery(q -> q.type(QueryType.CLOUDFORMATION_STACK_1_0).query(
                        "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"StackIdentifier\":\"arn:aws:cloudformation:us-east-1:123456789012:stack/web/1\"}"))));
        assertEquals(AwsError.NOT_IMPLEMENTED, stack.awsErrorDetails().errorCode());
        ResourceGroupsException unknown = assertThrows(ResourceGroupsException.class,
                () -> client.updateGroup(r -> r.group("web-servers").description("other")));
        assertEquals("UnknownOperationException", unknown.awsErrorDetails().errorCode());
        assertTrue(unknown.getMessage().contains("UpdateGroup"), unknown.getMessage());
        assertEquals(List.of("web-servers"), service.group("web-servers").stream().map(ResourceGroup::name).toList());
    }

    @Test
    void s3KeepsTheRestRequestsThatAreNotSignedForResourceGroups() {
        try (S3Client s3 = LocalClients.s3(server)) {
            s3.createBucket(r -> r.bucket("groups"));
            s3.putObject(r -> r.bucket("groups").key("get-group"), RequestBody.fromString("not a resource group"));
            assertEquals("not a resource group", s3.getObjectAsBytes(r -> r.bucket("groups").key("get-group")).asUtf8String());
        }
        assertEquals(List.of("get-group"), s3Service.keys("groups", ""));
        assertTrue(client.listGroups(r -> { }).groupIdentifiers().isEmpty());
    }
}
