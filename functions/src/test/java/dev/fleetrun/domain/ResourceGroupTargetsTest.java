package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Resource group targets in the domain: what the parser accepts and refuses of {@code resource-groups:Name} and
 * {@code resource-groups:ResourceTypeFilters}, which members of a group are nodes, and how the resolver plans them.
 */
class ResourceGroupTargetsTest {
    private static final RunRequestParser PARSER = new RunRequestParser(Set.of("AWS-RunShellScript"));

    private static RunRequest parse(String targets) {
        return PARSER.parse(Json.parse("{\"targets\": " + targets + ", \"commands\": [\"uptime\"]}"));
    }

    private static String refusal(String targets) {
        return assertThrows(InvalidInputException.class, () -> parse(targets)).getMessage();
    }

    @Test
    void aGroupWithResourceTypeFiltersAndTagsIsAccepted() {
        RunRequest r = parse("[{\"key\": \"resource-groups:Name\", \"values\": [\"web-servers\"]},"
                + " {\"key\": \"resource-groups:ResourceTypeFilters\", \"values\": [\"AWS::EC2::Instance\"]},"
                + " {\"key\": \"tag:Environment\", \"values\": [\"production\"]}]");
        assertEquals("web-servers", r.resourceGroup());
        assertEquals(List.of("AWS::EC2::Instance"), r.resourceTypes());
        assertEquals(List.of(new TargetSpec("tag:Environment", List.of("production"))), r.tagTargets());
        RunRequest plain = parse("[{\"key\": \"resource-groups:Name\", \"values\": [\"web-servers\"]}]");
        assertEquals(TargetSpec.NODE_RESOURCE_TYPES, plain.resourceTypes());
        assertEquals(List.of(), plain.tagTargets());
        assertNull(parse("[{\"key\": \"tag:Role\", \"values\": [\"web\"]}]").resourceGroup());
        JsonNode json = plain.toJson();
        assertEquals(plain, PARSER.parse(json), "the stored form parses back to the same request");
    }

    @Test
    void resourceTypeFiltersNeedAGroupAndNodeTypesOnly() {
        String alone = refusal("[{\"key\": \"resource-groups:ResourceTypeFilters\", \"values\": [\"AWS::EC2::Instance\"]}]");
        assertEquals("invalid run request: targets[0].key: resource-groups:ResourceTypeFilters narrows a resource group"
                + " to some resource types, so it needs a resource-groups:Name target beside it, such as"
                + " {\"key\": \"resource-groups:Name\", \"values\": [\"web-servers\"]}", alone);
        String bucket = refusal("[{\"key\": \"resource-groups:Name\", \"values\": [\"web\"]},"
                + " {\"key\": \"resource-groups:ResourceTypeFilters\", \"values\": [\"AWS::EC2::Instance\", \"AWS::S3::Bucket\"]}]");
        assertEquals("invalid run request: targets[1].values[1]: \"AWS::S3::Bucket\" is not a resource type Run Command"
                + " can send to: use AWS::EC2::Instance (EC2 instances) or AWS::SSM::ManagedInstance (hybrid mi- nodes)", bucket);
        String six = refusal("[{\"key\": \"resource-groups:Name\", \"values\": [\"web\"]},"
                + " {\"key\": \"resource-groups:ResourceTypeFilters\", \"values\": [\"AWS::EC2::Instance\","
                + " \"AWS::EC2::Instance\", \"AWS::EC2::Instance\", \"AWS::EC2::Instance\", \"AWS::EC2::Instance\","
                + " \"AWS::SSM::ManagedInstance\"]}]");
        assertEquals("invalid run request: targets[1].values: resource-groups:ResourceTypeFilters takes at most 5"
                + " resource types (SSM's limit), got 6", six);
        String spelling = refusal("[{\"key\": \"resource-groups:resourceTypeFilters\", \"values\": [\"AWS::EC2::Instance\"]}]");
        assertEquals(true, spelling.contains("spelt exactly so (it is case-sensitive)"), spelling);
    }

    @Test
    void onlyMembersThatAreManagedNodesOfTheRequestedTypesAreCandidates() {
        GroupMembers members = new GroupMembers("web", List.of(
                new GroupMembers.Resource("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0", "AWS::EC2::Instance"),
                new GroupMembers.Resource("arn:aws-cn:ssm:cn-north-1:123456789012:managed-instance/mi-0123456789abcdef0",
                        "AWS::SSM::ManagedInstance"),
                new GroupMembers.Resource("arn:aws:s3:::web-assets", "AWS::S3::Bucket"),
                new GroupMembers.Resource("arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0", "AWS::EC2::Volume")),
                List.of());
        assertEquals(List.of("i-0123456789abcdef0", "mi-0123456789abcdef0"), members.instanceIds(TargetSpec.NODE_RESOURCE_TYPES));
        assertEquals(List.of("mi-0123456789abcdef0"), members.instanceIds(List.of(TargetSpec.MANAGED_INSTANCE)));
    }

    @Test
    void theResolverKeepsTheGroupsNodesAndSkipsMembersSsmDoesNotKnow() {
        RunRequest r = parse("[{\"key\": \"resource-groups:Name\", \"values\": [\"web\"]}]");
        List<ManagedNode> known = List.of(new ManagedNode("i-00000000000000001", null, Platform.LINUX, "Online"),
                new ManagedNode("i-00000000000000009", null, Platform.LINUX, "Online"));
        TargetResolution resolution = TargetResolver.resolve(r, known, List.of("i-00000000000000001", "i-00000000000000002"));
        assertEquals(List.of("i-00000000000000001"), resolution.targetedIds(), "i-...09 is no member");
        assertEquals(List.of(new SkippedNode("i-00000000000000002", "member of resource group web, but "
                + TargetResolver.NOT_MANAGED)), resolution.skipped());

        RunRequest withTags = parse("[{\"key\": \"resource-groups:Name\", \"values\": [\"web\"]},"
                + " {\"key\": \"tag:Role\", \"values\": [\"web\"]}]");
        TargetResolution tagged = TargetResolver.resolve(withTags, known, List.of("i-00000000000000001", "i-00000000000000002"));
        assertEquals(List.of("i-00000000000000001"), tagged.targetedIds());
        assertEquals(List.of(), tagged.skipped(), "beside tags, a member the tags did not match is simply not targeted");
    }
}
