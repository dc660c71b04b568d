package dev.fleetrun.local.resourcegroups;

import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkPattern;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.checkSize;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.RestJsonProtocol;
import dev.fleetrun.local.wire.RestJsonProtocol.Route;
import dev.fleetrun.local.wire.WireTree;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * AWS Resource Groups for the embedded runtime (REST-JSON, signing name {@value #SIGNING_NAME}): tag-based groups
 * ({@code TAG_FILTERS_1_0}) over the runtime's resources, which are the simulated fleet's managed nodes
 * ({@link NodeResources}): CreateGroup, GetGroup, GetGroupQuery, ListGroups, ListGroupResources, SearchResources and
 * DeleteGroup, with the model's names, limits and errors ({@code BadRequestException} 400, {@code NotFoundException}
 * 404). A group's members are whatever matches its query now, as on AWS, so a node tagged later joins it.
 * CloudFormation-stack groups and service configurations are refused with {@code NotImplementedLocally}; every
 * other operation of the model is {@code UnknownOperationException}.
 *
 * <p>The simulated SSM resolves {@code resource-groups:Name} targets through {@link #group}, which reads the groups
 * without the service's lock (they are immutable values in a concurrent map): SSM answers SendCommand under its own
 * lock, and this service reads SSM's nodes under this one, so neither waits for the other.
 */
public final class ResourceGroupsService extends AwsService {
    /** The service in the credential scope of Resource Groups requests. */
    public static final String SIGNING_NAME = "resource-groups";
    public static final String QUERY_TYPE = "TAG_FILTERS_1_0";
    static final String STACK_QUERY_TYPE = "CLOUDFORMATION_STACK_1_0";
    private static final String NAME_PATTERN = "[a-zA-Z0-9_\\.-]+";
    private static final String GROUP_STRING_PATTERN = "[a-zA-Z0-9_\\.-]{1,300}|[a-zA-Z0-9_\\.-]{1,150}/[a-z0-9]{26}"
            + "|arn:aws(-[a-z]+)*:resource-groups:[a-z]{2}(-[a-z]+)+-\\d{1}:[0-9]{12}:group/([a-zA-Z0-9_\\.-]{1,300}"
            + "|[a-zA-Z0-9_\\.-]{1,150}/[a-z0-9]{26})";
    private static final String DESCRIPTION_PATTERN = "[\\sa-zA-Z0-9_\\.-]*";
    private static final String TAG_PATTERN = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";
    private static final String RESOURCE_TYPE_PATTERN = "AWS::[a-zA-Z0-9]+::[a-zA-Z0-9]+";
    private static final int MAX_RESULTS = 50;

    /** Every operation of the model (botocore 1.43, resource-groups 2017-11-27), with its method and path. */
    public static final RestJsonProtocol PROTOCOL = new RestJsonProtocol(SIGNING_NAME, List.of(
            new Route("POST", "/cancel-tag-sync-task", "CancelTagSyncTask"),
            new Route("POST", "/groups", "CreateGroup"),
            new Route("POST", "/delete-group", "DeleteGroup"),
            new Route("POST", "/get-account-settings", "GetAccountSettings"),
            new Route("POST", "/get-group", "GetGroup"),
            new Route("POST", "/get-group-configuration", "GetGroupConfiguration"),
            new Route("POST", "/get-group-query", "GetGroupQuery"),
            new Route("POST", "/get-tag-sync-task", "GetTagSyncTask"),
            new Route("POST", "/group-resources", "GroupResources"),
            new Route("POST", "/list-group-resources", "ListGroupResources"),
            new Route("POST", "/list-grouping-statuses", "ListGroupingStatuses"),
            new Route("POST", "/groups-list", "ListGroups", Map.of("maxResults", "MaxResults", "nextToken", "NextToken")),
            new Route("POST", "/list-tag-sync-tasks", "ListTagSyncTasks"),
            new Route("POST", "/put-group-configuration", "PutGroupConfiguration"),
            new Route("POST", "/resources/search", "SearchResources"),
            new Route("POST", "/start-tag-sync-task", "StartTagSyncTask"),
            new Route("POST", "/ungroup-resources", "UngroupResources"),
            new Route("POST", "/update-account-settings", "UpdateAccountSettings"),
            new Route("POST", "/update-group", "UpdateGroup"),
            new Route("POST", "/update-group-query", "UpdateGroupQuery")));

    private final String region;
    private final String accountId;
    private final Supplier<List<TaggedResource>> resources;
    private final Map<String, ResourceGroup> groups = new ConcurrentSkipListMap<>();

    /**
     * @param resources every resource a query may match, in the order answers list them (read at each call: the
     *                  fleet's nodes as they are now)
     */
    public ResourceGroupsService(Clock clock, String region, String accountId, Supplier<List<TaggedResource>> resources) {
        // The endpoint decodes each request with the protocol of its own route (RestJsonProtocol.forRequest); this
        // one only answers in the service's error shape wherever no route is known.
        super(SIGNING_NAME, PROTOCOL.forRequest(java.net.URI.create("/"), new Route("POST", "/", "")),
                List.of("CreateGroup", "GetGroup", "GetGroupQuery", "ListGroups", "ListGroupResources",
                        "SearchResources", "DeleteGroup"), clock);
        this.region = region;
        this.accountId = accountId;
        this.resources = resources;
    }

    /** Hosts this service on {@code server}: the requests signed for {@value #SIGNING_NAME}. */
    public ResourceGroupsService serveOn(AwsServer server) {
        server.restJsonService(PROTOCOL, this);
        return this;
    }

    /** Resource Groups throttles with HTTP 429 {@code TooManyRequestsException}. */
    @Override
    protected AwsError throttlingError() {
        return new AwsError("TooManyRequestsException", "Rate exceeded", 429, null);
    }

    /** The group of this name or ARN, read without the service's lock; empty when there is none. */
    public Optional<ResourceGroup> group(String nameOrArn) {
        return Optional.ofNullable(groups.get(nameOf(nameOrArn)));
    }

    /**
     * Creates a tag-based group as CreateGroup does (the fleet file's {@code groups}): the same checks, the same
     * errors, as {@link AwsError}s.
     */
    public synchronized ResourceGroup createGroup(String name, String description, String query) {
        ObjectNode input = WireTree.object().put("Name", name);
        if (description != null) {
            input.put("Description", description);
        }
        input.putObject("ResourceQuery").put("Type", QUERY_TYPE).put("Query", query);
        invoke("CreateGroup", input);
        return groups.get(name);
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        try {
            return switch (operation) {
                case "CreateGroup" -> create(input);
                case "GetGroup" -> WireTree.object().set("Group", groupShape(required(input)));
                case "GetGroupQuery" -> getGroupQuery(input);
                case "ListGroups" -> listGroups(input);
                case "ListGroupResources" -> listGroupResources(input);
                case "SearchResources" -> searchResources(input);
                case "DeleteGroup" -> delete(input);
                default -> throw AwsError.unknownOperation(name(), operation, operations());
            };
        } catch (AwsError e) {
            // The shared member checks word a model violation as AWS's front ends do; this service calls it a bad request.
            if ("ValidationException".equals(e.code())) {
                throw AwsError.of("BadRequestException", e.getMessage());
            }
            throw e;
        }
    }

    private JsonNode create(JsonNode input) {
        String name = requiredText(input, "Name");
        checkLength("Name", name, 1, 300);
        checkPattern("Name", name, NAME_PATTERN);
        String description = optionalText(input, "Description", null);
        checkLength("Description", description, 0, 1024);
        checkPattern("Description", description, DESCRIPTION_PATTERN);
        Integer criticality = optionalInt(input, "Criticality");
        checkRange("Criticality", criticality, 1, 10);
        String owner = optionalText(input, "Owner", null);
        checkLength("Owner", owner, 0, 300);
        checkPattern("Owner", owner, TAG_PATTERN);
        String displayName = optionalText(input, "DisplayName", null);
        checkLength("DisplayName", displayName, 0, 300);
        checkPattern("DisplayName", displayName, TAG_PATTERN);
        Map<String, String> tags = tags(input);
        if (RequestFields.has(input, "Configuration")) {
            throw AwsError.notImplemented("service configurations (Configuration) of resource groups",
                    "create a tag-based group: ResourceQuery with Type " + QUERY_TYPE);
        }
        if (!RequestFields.has(input, "ResourceQuery")) {
            throw AwsError.of("BadRequestException", "Either a ResourceQuery or a Configuration must be given to"
                    + " create a group; this simulation takes a ResourceQuery of Type " + QUERY_TYPE);
        }
        JsonNode resourceQuery = input.get("ResourceQuery");
        String type = requiredText(resourceQuery, "Type");
        String queryText = requiredText(resourceQuery, "Query");
        checkLength("ResourceQuery.Query", queryText, 0, 4096);
        if (STACK_QUERY_TYPE.equals(type)) {
            throw AwsError.notImplemented("CloudFormation stack-based groups (" + STACK_QUERY_TYPE + ")",
                    "this runtime has no CloudFormation stacks; make a tag-based group (" + QUERY_TYPE
                            + ") over the nodes' tags");
        }
        if (!QUERY_TYPE.equals(type)) {
            throw AwsError.of("BadRequestException", "1 validation error detected: Value '" + type + "' at"
                    + " 'resourceQuery.type' failed to satisfy constraint: Member must satisfy enum value set: ["
                    + STACK_QUERY_TYPE + ", " + QUERY_TYPE + "]");
        }
        if (name.toUpperCase(java.util.Locale.ROOT).startsWith("AWS")) {
            throw AwsError.of("BadRequestException", "Group name must not start with 'AWS'");
        }
        TagQuery query = TagQuery.parse(queryText);
        if (groups.containsKey(name)) {
            throw AwsError.of("BadRequestException", "Cannot create group: group already exists");
        }
        ResourceGroup group = new ResourceGroup(name, arn(name), description, queryText, query, tags, criticality,
                owner, displayName);
        groups.put(name, group);
        ObjectNode answer = WireTree.object();
        answer.set("Group", groupShape(group));
        answer.set("ResourceQuery", resourceQueryShape(group));
        ObjectNode tagsShape = answer.putObject("Tags");
        group.tags().forEach(tagsShape::put);
        return answer;
    }

    private static Map<String, String> tags(JsonNode input) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (RequestFields.has(input, "Tags")) {
            input.get("Tags").properties().forEach(tag -> {
                String key = tag.getKey();
                String value = tag.getValue().asText();
                checkLength("Tags.key", key, 1, 128);
                checkPattern("Tags.key", key, TAG_PATTERN);
                checkLength("Tags.value", value, 0, 256);
                checkPattern("Tags.value", value, TAG_PATTERN);
                if (key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                    throw AwsError.of("BadRequestException", "Tag keys must not start with 'aws:'");
                }
                tags.put(key, value);
            });
        }
        return tags;
    }

    private JsonNode getGroupQuery(JsonNode input) {
        ResourceGroup group = required(input);
        ObjectNode answer = WireTree.object();
        ObjectNode groupQuery = answer.putObject("GroupQuery");
        groupQuery.put("GroupName", group.name());
        groupQuery.set("ResourceQuery", resourceQueryShape(group));
        return answer;
    }

    private JsonNode listGroups(JsonNode input) {
        int maxResults = maxResults(input);
        List<ResourceGroup> matching = new ArrayList<>();
        List<JsonNode> filters = RequestFields.list(input, "Filters");
        for (ResourceGroup group : groups.values()) {
            boolean all = true;
            for (JsonNode filter : filters) {
                all &= groupFilter(filter).test(group);
            }
            if (all) {
                matching.add(group);
            }
        }
        Page<ResourceGroup> page = page(matching, maxResults, optionalText(input, "NextToken", null));
        ObjectNode answer = WireTree.object();
        ArrayNode identifiers = answer.putArray("GroupIdentifiers");
        ArrayNode groupList = answer.putArray("Groups");
        for (ResourceGroup group : page.items()) {
            ObjectNode identifier = identifiers.addObject().put("GroupName", group.name()).put("GroupArn", group.arn());
            optional(identifier, group);
            groupList.add(groupShape(group));
        }
        if (page.next() != null) {
            answer.put("NextToken", page.next());
        }
        return answer;
    }

    private java.util.function.Predicate<ResourceGroup> groupFilter(JsonNode filter) {
        String name = requiredText(filter, "Name");
        List<String> values = RequestFields.textList(filter, "Values");
        checkSize("Filters.member.Values", values, 1, 5);
        return switch (name) {
            case "resource-type" -> group -> group.query().allTypes()
                    || group.query().resourceTypes().stream().anyMatch(values::contains);
            // No group here has a service configuration.
            case "configuration-type" -> group -> false;
            case "owner" -> group -> values.contains(group.owner());
            case "display-name" -> group -> values.contains(group.displayName());
            case "criticality" -> group -> group.criticality() != null
                    && values.contains(String.valueOf(group.criticality()));
            default -> throw AwsError.of("BadRequestException", "1 validation error detected: Value '" + name
                    + "' at 'filters.member.name' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [resource-type, configuration-type, owner, display-name, criticality]");
        };
    }

    private JsonNode listGroupResources(JsonNode input) {
        ResourceGroup group = required(input);
        int maxResults = maxResults(input);
        List<String> types = resourceTypeFilter(input, group);
        List<TaggedResource> members = new ArrayList<>();
        for (TaggedResource resource : resources.get()) {
            if (group.contains(resource) && (types == null || types.contains(resource.type()))) {
                members.add(resource);
            }
        }
        Page<TaggedResource> page = page(members, maxResults, optionalText(input, "NextToken", null));
        ObjectNode answer = WireTree.object();
        ArrayNode items = answer.putArray("Resources");
        ArrayNode identifiers = answer.putArray("ResourceIdentifiers");
        for (TaggedResource resource : page.items()) {
            items.addObject().set("Identifier", identifier(resource));
            identifiers.add(identifier(resource));
        }
        answer.putArray("QueryErrors");
        if (page.next() != null) {
            answer.put("NextToken", page.next());
        }
        return answer;
    }

    /**
     * The {@code resource-type} filter of ListGroupResources, or null for none. As the model documents, a type the
     * group's query does not name (unless it names {@code AWS::AllSupported}) is refused, not filtered for.
     */
    private static List<String> resourceTypeFilter(JsonNode input, ResourceGroup group) {
        List<String> types = null;
        for (JsonNode filter : RequestFields.list(input, "Filters")) {
            String name = requiredText(filter, "Name");
            if (!"resource-type".equals(name)) {
                throw AwsError.of("BadRequestException", "1 validation error detected: Value '" + name
                        + "' at 'filters.member.name' failed to satisfy constraint: Member must satisfy enum value set:"
                        + " [resource-type]");
            }
            List<String> values = RequestFields.textList(filter, "Values");
            checkSize("Filters.member.Values", values, 1, 5);
            for (String value : values) {
                checkLength("Filters.member.Values.member", value, 1, 128);
                checkPattern("Filters.member.Values.member", value, RESOURCE_TYPE_PATTERN);
            }
            types = types == null ? new ArrayList<>(values) : new ArrayList<>(types.stream().filter(values::contains).toList());
        }
        if (types != null && !group.query().allTypes()) {
            List<String> invalid = types.stream().filter(t -> !group.query().resourceTypes().contains(t)).toList();
            if (!invalid.isEmpty()) {
                throw AwsError.of("BadRequestException", "The resource types specified as filters in the request are not"
                        + " valid: " + invalid + " are not in the query of group " + group.name() + ", which names "
                        + group.query().resourceTypes());
            }
        }
        return types;
    }

    private JsonNode searchResources(JsonNode input) {
        if (!RequestFields.has(input, "ResourceQuery")) {
            throw AwsError.validation("resourceQuery", null, "Member must not be null");
        }
        JsonNode resourceQuery = input.get("ResourceQuery");
        String type = requiredText(resourceQuery, "Type");
        if (!QUERY_TYPE.equals(type)) {
            throw AwsError.notImplemented("SearchResources with a " + type + " query",
                    "search with a tag query (" + QUERY_TYPE + ")");
        }
        TagQuery query = TagQuery.parse(requiredText(resourceQuery, "Query"));
        int maxResults = maxResults(input);
        List<TaggedResource> found = resources.get().stream().filter(query::matches).toList();
        Page<TaggedResource> page = page(found, maxResults, optionalText(input, "NextToken", null));
        ObjectNode answer = WireTree.object();
        ArrayNode identifiers = answer.putArray("ResourceIdentifiers");
        page.items().forEach(resource -> identifiers.add(identifier(resource)));
        answer.putArray("QueryErrors");
        if (page.next() != null) {
            answer.put("NextToken", page.next());
        }
        return answer;
    }

    private JsonNode delete(JsonNode input) {
        ResourceGroup group = required(input);
        groups.remove(group.name());
        return WireTree.object().set("Group", groupShape(group));
    }

    /** The group a request names by {@code Group} (name or ARN) or the deprecated {@code GroupName}; NotFound if none. */
    private ResourceGroup required(JsonNode input) {
        String named = optionalText(input, "Group", optionalText(input, "GroupName", null));
        if (named == null) {
            throw AwsError.of("BadRequestException", "The request must name a group: give Group (its name or ARN).");
        }
        checkLength("Group", named, 1, 1600);
        checkPattern("Group", named, GROUP_STRING_PATTERN);
        ResourceGroup group = groups.get(nameOf(named));
        if (group == null) {
            throw new AwsError("NotFoundException", "Cannot find group '" + named + "' in account " + accountId
                    + ", Region " + region + ": create it with aws resource-groups create-group, or list the groups"
                    + " with aws resource-groups list-groups", 404, null);
        }
        return group;
    }

    /** A group's name, from itself or from its ARN in this Region and account. */
    private String nameOf(String nameOrArn) {
        String prefix = "arn:aws:resource-groups:" + region + ":" + accountId + ":group/";
        return nameOrArn.startsWith(prefix) ? nameOrArn.substring(prefix.length()) : nameOrArn;
    }

    private String arn(String name) {
        return "arn:aws:resource-groups:" + region + ":" + accountId + ":group/" + name;
    }

    private static ObjectNode groupShape(ResourceGroup group) {
        ObjectNode shape = WireTree.object().put("GroupArn", group.arn()).put("Name", group.name());
        optional(shape, group);
        return shape;
    }

    private static void optional(ObjectNode shape, ResourceGroup group) {
        if (group.description() != null) {
            shape.put("Description", group.description());
        }
        if (group.criticality() != null) {
            shape.put("Criticality", group.criticality());
        }
        if (group.owner() != null) {
            shape.put("Owner", group.owner());
        }
        if (group.displayName() != null) {
            shape.put("DisplayName", group.displayName());
        }
    }

    private static ObjectNode resourceQueryShape(ResourceGroup group) {
        return WireTree.object().put("Type", QUERY_TYPE).put("Query", group.queryText());
    }

    private static ObjectNode identifier(TaggedResource resource) {
        return WireTree.object().put("ResourceArn", resource.arn()).put("ResourceType", resource.type());
    }

    private static int maxResults(JsonNode input) {
        Integer maxResults = optionalInt(input, "MaxResults");
        checkRange("MaxResults", maxResults, 1, MAX_RESULTS);
        return maxResults == null ? MAX_RESULTS : maxResults;
    }

    /** One page and the token of the next: the offset in standard base64, as the model's NextToken pattern has it. */
    private record Page<T>(List<T> items, String next) {
    }

    private static <T> Page<T> page(List<T> all, int maxResults, String token) {
        int from = 0;
        if (token != null) {
            try {
                String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
                from = decoded.startsWith("offset:") ? Integer.parseInt(decoded.substring("offset:".length())) : -1;
            } catch (IllegalArgumentException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw AwsError.of("BadRequestException", "The NextToken '" + token + "' is not valid: pass the"
                        + " NextToken of the previous page of the same request, unchanged.");
            }
        }
        int to = Math.min(all.size(), from + maxResults);
        String next = to < all.size()
                ? Base64.getEncoder().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(List.copyOf(all.subList(from, to)), next);
    }
}
