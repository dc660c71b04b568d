package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The managed nodes a {@link SimulatedSsm} starts with: read from a fleet file (the format is in
 * local/FLEET.md), or generated ({@code --nodes 5 --tag Environment=staging} is
 * {@code Fleet.generate(5, Map.of("Environment", "staging"))}). Immutable; ids are unique.
 */
public final class Fleet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FLEET_FIELDS = Set.of("nodes", "network", "groups");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "description", "query");
    private static final Set<String> NODE_FIELDS = Set.of("id", "platform", "pingStatus", "tags", "profile", "network");

    private final List<FleetNode> nodes;
    private final List<FleetGroup> groups;

    private Fleet(List<FleetNode> nodes) {
        this(nodes, List.of());
    }

    private Fleet(List<FleetNode> nodes, List<FleetGroup> groups) {
        Set<String> seen = new HashSet<>();
        for (FleetNode node : nodes) {
            if (!seen.add(node.instanceId())) {
                throw new IllegalArgumentException("node " + node.instanceId() + " appears twice in the fleet;"
                        + " give every node its own id");
            }
        }
        this.nodes = List.copyOf(nodes);
        Set<String> names = new HashSet<>();
        for (FleetGroup group : groups) {
            if (!names.add(group.name())) {
                throw new IllegalArgumentException(group.where() + ": group " + group.name() + " is declared twice;"
                        + " give every group its own name");
            }
        }
        this.groups = List.copyOf(groups);
    }

    public static Fleet of(List<FleetNode> nodes) {
        return new Fleet(nodes);
    }

    public static Fleet empty() {
        return new Fleet(List.of());
    }

    /**
     * {@code count} healthy Linux nodes, Online, each with {@code tags}, with ids i-00000000000000001,
     * i-00000000000000002 ... (17 hex digits, as EC2 ids have).
     */
    public static Fleet generate(int count, Map<String, String> tags) {
        return generate(1, count, tags, NodeProfile.HEALTHY);
    }

    /** {@code count} Linux nodes numbered from {@code first}, each with {@code tags} and {@code profile}. */
    public static Fleet generate(int first, int count, Map<String, String> tags, NodeProfile profile) {
        if (count < 0 || first < 1) {
            throw new IllegalArgumentException("generate needs count >= 0 and first >= 1, got count " + count
                    + ", first " + first);
        }
        List<FleetNode> nodes = new ArrayList<>();
        for (int n = first; n < first + count; n++) {
            nodes.add(FleetNode.linux(instanceId(n), tags, profile));
        }
        return new Fleet(nodes);
    }

    /** The id of generated node {@code n}: i- and n in 17 hex digits. */
    public static String instanceId(long n) {
        return String.format("i-%017x", n);
    }

    /** Reads a fleet file (format: local/FLEET.md). */
    public static Fleet load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fleet file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a fleet from JSON text: {@code {"network": false, "nodes": [{"id", "platform", "pingStatus",
     * "tags", "profile", "network"}], "groups": [{"name", "description", "query"}]}}; a node's {@code network}
     * (may its scripts use the network) defaults to the fleet's, which defaults to false; the groups are
     * tag-based resource groups over the nodes' tags ({@link FleetGroup}).
     *
     * @param source names the text in error messages (a file name)
     */
    public static Fleet parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: "
                    + dev.fleetrun.local.wire.ParseProblems.describe(e, "JSON"), e);
        }
        if (root == null || !root.isObject() || !root.path("nodes").isArray()) {
            throw new IllegalArgumentException(source + " must be a JSON object with a \"nodes\" array, e.g."
                    + " {\"nodes\": [{\"id\": \"i-00000000000000001\", \"tags\": {\"Role\": \"web\"}}]}");
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!FLEET_FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown field(s) " + unknown + "; a fleet file has "
                    + FLEET_FIELDS);
        }
        boolean network = bool(root, "network", false, source);
        List<FleetNode> nodes = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : root.get("nodes")) {
            nodes.add(node(entry, source + " nodes[" + index++ + "]", network));
        }
        return new Fleet(nodes, groups(root.get("groups"), source));
    }

    private static List<FleetGroup> groups(JsonNode list, String source) {
        List<FleetGroup> groups = new ArrayList<>();
        if (list == null || list.isNull()) {
            return groups;
        }
        String example = "{\"name\": \"web-servers\", \"query\": {\"ResourceTypeFilters\": [\"AWS::EC2::Instance\"],"
                + " \"TagFilters\": [{\"Key\": \"Role\", \"Values\": [\"web\"]}]}}";
        if (!list.isArray()) {
            throw new IllegalArgumentException(source + ": groups must be a list of groups such as " + example);
        }
        int index = 0;
        for (JsonNode entry : list) {
            String where = source + " groups[" + index++ + "]";
            if (!entry.isObject()) {
                throw new IllegalArgumentException(where + " must be an object such as " + example);
            }
            List<String> unknown = new ArrayList<>();
            entry.fieldNames().forEachRemaining(name -> {
                if (!GROUP_FIELDS.contains(name)) {
                    unknown.add(name);
                }
            });
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(where + ": unknown field(s) " + unknown + "; a group has " + GROUP_FIELDS);
            }
            String name = text(entry, "name", null, where);
            if (name == null) {
                throw new IllegalArgumentException(where + " has no \"name\" (e.g. \"web-servers\")");
            }
            JsonNode query = entry.get("query");
            if (query == null || !query.isObject()) {
                throw new IllegalArgumentException(where + " (" + name + ") needs a \"query\" object, the tag query of"
                        + " a TAG_FILTERS_1_0 group, e.g. " + example);
            }
            groups.add(new FleetGroup(name, text(entry, "description", null, where), query, where + " (" + name + ")"));
        }
        return groups;
    }

    /** This fleet and then {@code other}'s nodes; an id in both is an error. */
    public Fleet plus(Fleet other) {
        List<FleetNode> all = new ArrayList<>(nodes);
        all.addAll(other.nodes);
        List<FleetGroup> allGroups = new ArrayList<>(groups);
        allGroups.addAll(other.groups);
        return new Fleet(all, allGroups);
    }

    public List<FleetNode> nodes() {
        return nodes;
    }

    /** The resource groups the fleet file declares, to be made when the runtime starts. */
    public List<FleetGroup> groups() {
        return groups;
    }

    public int size() {
        return nodes.size();
    }

    private static FleetNode node(JsonNode entry, String where, boolean fleetNetwork) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with an \"id\"");
        }
        List<String> unknown = new ArrayList<>();
        entry.fieldNames().forEachRemaining(name -> {
            if (!NODE_FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown field(s) " + unknown + "; a node has " + NODE_FIELDS);
        }
        String id = text(entry, "id", null, where);
        if (id == null) {
            throw new IllegalArgumentException(where + " has no \"id\" (e.g. \"i-0123456789abcdef0\")");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagNode = entry.get("tags");
        if (tagNode != null && !tagNode.isNull()) {
            if (!tagNode.isObject()) {
                throw new IllegalArgumentException(where + ": tags must be an object of strings, e.g."
                        + " {\"Environment\": \"staging\"}");
            }
            tagNode.properties().forEach(tag -> {
                if (!tag.getValue().isTextual()) {
                    throw new IllegalArgumentException(where + ": tag " + tag.getKey() + " must be a string");
                }
                tags.put(tag.getKey(), tag.getValue().asText());
            });
        }
        String node = where + " (" + id + ")";
        try {
            return new FleetNode(id, text(entry, "platform", "Linux", where),
                    text(entry, "pingStatus", ManagedNode.ONLINE, where), tags,
                    NodeProfile.parse(entry.get("profile"), node), bool(entry, "network", fleetNetwork, where));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(node + ": " + e.getMessage(), e);
        }
    }

    private static boolean bool(JsonNode entry, String field, boolean fallback, String where) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(where + ": " + field + " must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    private static String text(JsonNode entry, String field, String fallback, String where) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a string, not " + value);
        }
        return value.asText();
    }

    @Override
    public String toString() {
        return "Fleet" + nodes;
    }
}
