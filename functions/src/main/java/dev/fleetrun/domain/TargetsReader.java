package dev.fleetrun.domain;

import static dev.fleetrun.domain.JsonReader.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a run request's {@code targets} and {@code instanceIds} (the rules are in {@link RunRequestParser}).
 */
final class TargetsReader {

    static final int MAX_TARGETS = 5;
    static final int MAX_TARGET_VALUES = 50;
    static final int MAX_TAG_KEY_LENGTH = 128;
    static final int MAX_INSTANCE_IDS = 10_000;
    static final Pattern INSTANCE_ID = Pattern.compile("^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$");

    private static final List<String> TARGET_FIELDS = List.of("key", "values");
    private static final String KEYS = "\"tag:<tag key>\", \"tag-key\", \"resource-groups:Name\" or"
            + " \"resource-groups:ResourceTypeFilters\"";
    static final int MAX_RESOURCE_TYPES = 5;

    private TargetsReader() {
    }

    /** The targets, or {@code null} when any part of them is wrong (the errors are in {@code p}). */
    static List<TargetSpec> targets(JsonNode n, Problems p) {
        int before = p.count();
        ArrayNode a = JsonReader.array(n, "targets",
                "[{\"key\": \"tag:Environment\", \"values\": [\"production\"]}]", p);
        if (a == null) {
            return null;
        }
        if (a.isEmpty() || a.size() > MAX_TARGETS) {
            p.add("targets", "must have 1 to " + MAX_TARGETS + " filters (SSM's limit), got " + a.size()
                    + (a.isEmpty() ? "; a run needs at least one node" : ""));
            return null;
        }
        List<TargetSpec> targets = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            String path = "targets[" + i + "]";
            TargetSpec t = target(a.get(i), path, p);
            if (t == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(t.key(), i);
            if (first != null) {
                p.add(path + ".key", t.key() + " is already used by targets[" + first + "]; filters are AND-ed, so put all the"
                        + " values in one entry (its values are OR-ed)");
            }
            targets.add(t);
        }
        Integer types = seen.get(TargetSpec.RESOURCE_TYPE_FILTERS);
        if (types != null && !seen.containsKey(TargetSpec.RESOURCE_GROUP)) {
            p.add("targets[" + types + "].key", TargetSpec.RESOURCE_TYPE_FILTERS + " narrows a resource group to some"
                    + " resource types, so it needs a " + TargetSpec.RESOURCE_GROUP + " target beside it, such as"
                    + " {\"key\": \"resource-groups:Name\", \"values\": [\"web-servers\"]}");
        }
        return p.count() == before ? targets : null;
    }

    private static TargetSpec target(JsonNode n, String path, Problems p) {
        ObjectNode o = JsonReader.object(n, path, "{\"key\": \"tag:Role\", \"values\": [\"web\"]}", p);
        if (o == null) {
            return null;
        }
        int before = p.count();
        JsonReader.unknownFields(o, path, TARGET_FIELDS, p);
        String key = null;
        JsonNode keyNode = field(o, "key");
        if (keyNode == null) {
            p.add(path + ".key", "is required: " + KEYS);
        } else {
            key = JsonReader.string(keyNode, path + ".key", p);
            if (key != null) {
                String reason = keyProblem(key);
                if (reason != null) {
                    p.add(path + ".key", reason);
                    key = null;
                }
            }
        }
        JsonNode valuesNode = field(o, "values");
        List<String> values = null;
        if (valuesNode == null) {
            p.add(path + ".values", "is required: a list of 1 to " + MAX_TARGET_VALUES + " values, such as [\"web\"]");
        } else {
            values = JsonReader.strings(valuesNode, path + ".values", 1, MAX_TARGET_VALUES, "[\"web\", \"api\"]", p);
            if (values != null && TargetSpec.RESOURCE_GROUP.equals(key) && values.size() != 1) {
                p.add(path + ".values", "resource-groups:Name takes exactly one resource group name (SSM's limit), got "
                        + values.size() + "; start one run per group");
            }
            if (values != null && TargetSpec.RESOURCE_TYPE_FILTERS.equals(key)) {
                resourceTypes(values, path + ".values", p);
            }
        }
        return p.count() == before ? new TargetSpec(key, values) : null;
    }

    /**
     * The values of {@code resource-groups:ResourceTypeFilters}: 1 to 5 (SSM's limit), each a type Run Command can
     * reach; a type that is no managed node (an S3 bucket) could never be sent a command, so it is refused.
     */
    private static void resourceTypes(List<String> values, String path, Problems p) {
        if (values.size() > MAX_RESOURCE_TYPES) {
            p.add(path, TargetSpec.RESOURCE_TYPE_FILTERS + " takes at most " + MAX_RESOURCE_TYPES
                    + " resource types (SSM's limit), got " + values.size());
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!TargetSpec.NODE_RESOURCE_TYPES.contains(values.get(i))) {
                p.addItem(path, i, "\"" + values.get(i) + "\" is not a resource type Run Command can send to: use "
                        + TargetSpec.EC2_INSTANCE + " (EC2 instances) or " + TargetSpec.MANAGED_INSTANCE
                        + " (hybrid mi- nodes)");
            }
        }
        p.endList(path);
    }

    /** Why {@code key} is not a target key fleetrun accepts, or {@code null} when it is one. */
    private static String keyProblem(String key) {
        if (key.equals(TargetSpec.TAG_KEY) || key.equals(TargetSpec.RESOURCE_GROUP)
                || key.equals(TargetSpec.RESOURCE_TYPE_FILTERS)) {
            return null;
        }
        if (key.startsWith(TargetSpec.TAG_PREFIX)) {
            int length = key.length() - TargetSpec.TAG_PREFIX.length();
            if (length < 1 || length > MAX_TAG_KEY_LENGTH) {
                return "the tag key after \"tag:\" must be 1 to " + MAX_TAG_KEY_LENGTH + " characters, got " + length;
            }
            return null;
        }
        if (key.equalsIgnoreCase("InstanceIds")) {
            return "list instance ids in the request's instanceIds field instead of a target";
        }
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("tag:") || lower.equals("tag-key") || lower.equals("resource-groups:name")
                || lower.equals("resource-groups:resourcetypefilters")) {
            return "must be one of " + KEYS + ", spelt exactly so (it is case-sensitive), got \"" + key + "\"";
        }
        return "must be one of " + KEYS + ", got \"" + key + "\"";
    }

    /** The instance ids, or {@code null} when any is wrong (the errors are in {@code p}). */
    static List<String> instanceIds(JsonNode n, Problems p) {
        int before = p.count();
        ArrayNode a = JsonReader.array(n, "instanceIds", "[\"i-0123456789abcdef0\"]", p);
        if (a == null) {
            return null;
        }
        if (a.isEmpty()) {
            p.add("instanceIds", "must list 1 to " + MAX_INSTANCE_IDS + " ids, got none; a run needs at least one node");
            return null;
        }
        if (a.size() > MAX_INSTANCE_IDS) {
            p.add("instanceIds", "must list at most " + MAX_INSTANCE_IDS + " ids, got " + a.size()
                    + "; use targets (tags or a resource group) for larger fleets");
            return null;
        }
        List<String> ids = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode item = a.get(i);
            if (!item.isTextual()) {
                p.addItem("instanceIds", i, "must be a string such as \"i-0123456789abcdef0\", got " + JsonKinds.describe(item));
                continue;
            }
            String id = item.textValue();
            if (!INSTANCE_ID.matcher(id).matches()) {
                p.addItem("instanceIds", i, "\"" + id + "\" is not a managed node id: expected i- followed by 8 or 17"
                        + " lower-case hex digits (EC2), or mi- followed by 17 (hybrid)");
                continue;
            }
            Integer first = seen.putIfAbsent(id, i);
            if (first != null) {
                p.addItem("instanceIds", i, id + " is listed twice (also at instanceIds[" + first + "]); list each node once");
                continue;
            }
            ids.add(id);
        }
        p.endList("instanceIds");
        return p.count() == before ? ids : null;
    }
}
