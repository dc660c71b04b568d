package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkPattern;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parameter Store, as far as documents and their users need it: PutParameter, GetParameter,
 * GetParameters, GetParametersByPath, DeleteParameter and DeleteParameters, with the service model's
 * checks and Parameter Store's errors ({@code ParameterAlreadyExists}, {@code ParameterNotFound},
 * {@code ParameterVersionNotFound}, {@code ParameterPatternMismatchException},
 * {@code HierarchyLevelLimitExceededException}, {@code ValidationException}). Names follow Parameter
 * Store's rules (letters, digits and {@code _.-/}; a hierarchy starts with {@code /} and has at most 15
 * levels; no {@code aws} or {@code ssm} prefix); versions are kept (100 at most); a name may select one
 * with {@code name:version}.
 *
 * <p><b>SecureString values stay here.</b> Without {@code WithDecryption} a SecureString's value is
 * answered as an opaque ciphertext made when it was put (random bytes, nothing derived from the
 * value); the simulated agent never resolves one into a document (as SSM Agent refuses to, see
 * {@link Interpolation}); {@link #redacted} hides the value of a PutParameter in the server's records
 * of requests. Only GetParameter(s) and GetParametersByPath with {@code WithDecryption} return it, to
 * the caller who asked.
 *
 * <p>Thread-safe: the nodes' agents read it while the API writes it.
 */
public final class ParameterStore {
    public static final String STRING = "String";
    public static final String STRING_LIST = "StringList";
    public static final String SECURE_STRING = "SecureString";
    static final List<String> TYPES = List.of(STRING, STRING_LIST, SECURE_STRING);
    static final String NAME_CHARACTERS = "^[a-zA-Z0-9_.\\-/]+$";
    static final int MAX_LEVELS = 15;
    static final int MAX_VERSIONS = 100;
    static final String DEFAULT_KEY = "alias/aws/ssm";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String region;
    private final String accountId;
    private final Clock clock;
    private final Map<String, List<Stored>> parameters = new TreeMap<>();

    /** One version of a parameter. */
    private record Stored(String name, String type, String value, long version, Instant modified, String description,
                          String allowedPattern, String keyId, String tier, String dataType, String ciphertext) {
        String shownValue(boolean decrypt) {
            return SECURE_STRING.equals(type) && !decrypt ? ciphertext : value;
        }
    }

    /** A parameter's value as the agent resolves it: its own name (without selector), type and value. */
    public record Resolved(String name, String type, String value) {
    }

    public ParameterStore(String region, String accountId, Clock clock) {
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
    }

    /** The parameter (or the version {@code name:version} selects), or null; what the node's agent reads. */
    public synchronized Resolved find(String nameAndSelector) {
        Stored stored = lookup(nameAndSelector);
        return stored == null ? null : new Resolved(stored.name(), stored.type(), stored.value());
    }

    /** The request as the server may record it: a PutParameter's SecureString value hidden. */
    public synchronized JsonNode redacted(String operation, JsonNode input) {
        if (!"PutParameter".equals(operation) || input == null || !input.has("Value")) {
            return input;
        }
        String name = input.path("Name").asText();
        boolean secure = SECURE_STRING.equals(input.path("Type").asText(null))
                || (parameters.containsKey(name) && SECURE_STRING.equals(latest(name).type()));
        if (!secure) {
            return input;
        }
        ObjectNode copy = input.deepCopy();
        copy.put("Value", "(SecureString value hidden)");
        return copy;
    }

    // ---- the operations ----

    public synchronized ObjectNode put(JsonNode input) {
        String name = requiredText(input, "Name");
        checkLength("Name", name, 1, 2048);
        String value = requiredText(input, "Value");
        checkName(name);
        String type = optionalText(input, "Type", null);
        if (type != null && !TYPES.contains(type)) {
            throw AwsError.validation("type", type, "Member must satisfy enum value set: [SecureString, StringList, String]");
        }
        boolean overwrite = RequestFields.optionalBoolean(input, "Overwrite");
        String tier = optionalText(input, "Tier", "Standard");
        if (!List.of("Standard", "Advanced", "Intelligent-Tiering").contains(tier)) {
            throw AwsError.validation("tier", tier, "Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]");
        }
        if (tier.equals("Intelligent-Tiering")) {
            tier = value.length() > 4096 ? "Advanced" : "Standard";
        }
        int limit = tier.equals("Advanced") ? 8192 : 4096;
        if (value.isEmpty() || value.length() > limit) {
            throw AwsError.validation("value", value.isEmpty() ? "" : "(" + value.length() + " characters)",
                    "Member must have length between 1 and " + limit + " (" + tier + " tier)");
        }
        if (RequestFields.has(input, "Policies")) {
            throw AwsError.notImplemented("parameter policies", "put the parameter without Policies");
        }
        if (overwrite && RequestFields.has(input, "Tags")) {
            throw AwsError.of("ValidationException", "Invalid request: tags and overwrite can't be used together. To"
                    + " create a parameter with tags, please remove overwrite flag.");
        }
        List<Stored> versions = parameters.get(name);
        Stored previous = versions == null ? null : versions.get(versions.size() - 1);
        if (previous != null && !overwrite) {
            throw AwsError.of("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set"
                    + " the overwrite option in the request to true.");
        }
        if (previous == null && type == null) {
            throw AwsError.of("ValidationException", "A parameter type is required when you create a parameter.");
        }
        String finalType = type != null ? type : previous.type();
        String allowedPattern = optionalText(input, "AllowedPattern", previous == null ? null : previous.allowedPattern());
        if (allowedPattern != null) {
            checkLength("AllowedPattern", allowedPattern, 0, 1024);
            try {
                if (!Pattern.compile(allowedPattern).matcher(value).matches()) {
                    throw AwsError.of("ParameterPatternMismatchException", "Parameter value, cannot be validated against"
                            + " allowedPattern: " + allowedPattern);
                }
            } catch (PatternSyntaxException e) {
                throw AwsError.of("InvalidAllowedPatternException", "The request doesn't meet the regular expression"
                        + " requirement: " + e.getDescription());
            }
        }
        String keyId = optionalText(input, "KeyId", null);
        checkPattern("KeyId", keyId, "^([a-zA-Z0-9:/_-]+)$");
        if (keyId != null && !SECURE_STRING.equals(finalType)) {
            throw AwsError.of("ValidationException", "KeyId is required for SecureString type parameter only.");
        }
        if (SECURE_STRING.equals(finalType) && keyId == null) {
            keyId = previous != null && previous.keyId() != null ? previous.keyId() : DEFAULT_KEY;
        }
        String dataType = optionalText(input, "DataType", previous == null ? "text" : previous.dataType());
        if (!List.of("text", "aws:ec2:image", "aws:ssm:integration").contains(dataType)) {
            throw AwsError.of("ValidationException", "The following data type is not supported: " + dataType
                    + " (Data type names are all lowercase.)");
        }
        if (dataType.equals("aws:ec2:image") && !value.matches("ami-[0-9a-f]{8,17}")) {
            throw AwsError.of("ValidationException", "Parameter value " + value + " is not an AMI id (ami- and 8 or 17"
                    + " hexadecimal digits), as data type aws:ec2:image requires");
        }
        long version = previous == null ? 1 : previous.version() + 1;
        Stored stored = new Stored(name, finalType, value, version, clock.instant(),
                optionalText(input, "Description", previous == null ? null : previous.description()), allowedPattern,
                keyId, tier, dataType, SECURE_STRING.equals(finalType) ? ciphertext() : null);
        List<Stored> list = parameters.computeIfAbsent(name, key -> new ArrayList<>());
        list.add(stored);
        if (list.size() > MAX_VERSIONS) {
            list.remove(0);
        }
        return WireTree.object().put("Version", version).put("Tier", tier);
    }

    public synchronized ObjectNode get(JsonNode input) {
        String name = requiredText(input, "Name");
        checkLength("Name", name, 1, 2048);
        boolean decrypt = RequestFields.optionalBoolean(input, "WithDecryption");
        Stored stored = lookupOrThrow(name);
        ObjectNode answer = WireTree.object();
        answer.set("Parameter", shape(stored, name, decrypt));
        return answer;
    }

    public synchronized ObjectNode getMany(JsonNode input) {
        List<String> names = RequestFields.textList(input, "Names");
        RequestFields.checkSize("Names", names, 1, 10);
        boolean decrypt = RequestFields.optionalBoolean(input, "WithDecryption");
        ObjectNode answer = WireTree.object();
        ArrayNode found = answer.putArray("Parameters");
        ArrayNode invalid = answer.putArray("InvalidParameters");
        for (String name : new LinkedHashSet<>(names)) {
            Stored stored = lookup(name);
            if (stored == null) {
                invalid.add(name);
            } else {
                found.add(shape(stored, name, decrypt));
            }
        }
        return answer;
    }

    public synchronized ObjectNode getByPath(JsonNode input) {
        String path = requiredText(input, "Path");
        checkLength("Path", path, 1, 2048);
        if (!path.startsWith("/")) {
            throw AwsError.of("ValidationException", "The parameter path " + path + " doesn't begin with a forward"
                    + " slash (/): GetParametersByPath reads a hierarchy such as /web/");
        }
        boolean recursive = RequestFields.optionalBoolean(input, "Recursive");
        boolean decrypt = RequestFields.optionalBoolean(input, "WithDecryption");
        int maxResults = SsmRequests.maxResults(input, 1, 10, 10);
        List<Map.Entry<String, List<String>>> filters = new ArrayList<>();
        for (JsonNode filter : RequestFields.list(input, "ParameterFilters")) {
            String key = requiredText(filter, "Key");
            if (!List.of("Type", "KeyId", "Tier", "DataType").contains(key)) {
                throw AwsError.of("InvalidFilterKey", "The following filter key is not valid here: " + key
                        + ". GetParametersByPath takes Type, KeyId, Tier and DataType (with Option Equals)");
            }
            String option = optionalText(filter, "Option", "Equals");
            if (!option.equals("Equals")) {
                throw AwsError.of("InvalidFilterOption", "The filter option " + option + " is not valid for " + key
                        + "; use Equals");
            }
            filters.add(Map.entry(key, RequestFields.textList(filter, "Values")));
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        List<Stored> listed = new ArrayList<>();
        for (Map.Entry<String, List<Stored>> entry : parameters.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(prefix) || (!recursive && name.substring(prefix.length()).contains("/"))) {
                continue;
            }
            Stored stored = entry.getValue().get(entry.getValue().size() - 1);
            if (filters.stream().allMatch(filter -> filter.getValue().contains(attribute(stored, filter.getKey())))) {
                listed.add(stored);
            }
        }
        Page<Stored> page = Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode found = answer.putArray("Parameters");
        page.items().forEach(stored -> found.add(shape(stored, stored.name(), decrypt)));
        return SsmRequests.withNextToken(answer, page);
    }

    public synchronized ObjectNode delete(JsonNode input) {
        String name = requiredText(input, "Name");
        if (parameters.remove(name) == null) {
            throw AwsError.of("ParameterNotFound", "Parameter " + name + " not found.");
        }
        return WireTree.object();
    }

    public synchronized ObjectNode deleteMany(JsonNode input) {
        List<String> names = RequestFields.textList(input, "Names");
        RequestFields.checkSize("Names", names, 1, 10);
        ObjectNode answer = WireTree.object();
        ArrayNode deleted = answer.putArray("DeletedParameters");
        ArrayNode invalid = answer.putArray("InvalidParameters");
        for (String name : names) {
            (parameters.remove(name) != null ? deleted : invalid).add(name);
        }
        return answer;
    }

    // ---- helpers ----

    private static void checkName(String name) {
        if (!name.matches(NAME_CHARACTERS)) {
            throw AwsError.of("ValidationException", "Parameter name " + name + " is not valid: use letters, digits"
                    + " and the symbols _ . - /");
        }
        String first = (name.startsWith("/") ? name.substring(1) : name).toLowerCase(Locale.ROOT);
        if (first.startsWith("aws") || first.startsWith("ssm")) {
            throw AwsError.of("ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\""
                    + " (case-insensitive).");
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw AwsError.of("ValidationException", "Parameter name " + name + " is in a hierarchy: begin it with a"
                    + " forward slash, such as /" + name);
        }
        long levels = name.chars().filter(c -> c == '/').count();
        if (levels > MAX_LEVELS) {
            throw AwsError.of("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels;"
                    + " " + name + " has " + levels);
        }
    }

    private Stored latest(String name) {
        List<Stored> versions = parameters.get(name);
        return versions.get(versions.size() - 1);
    }

    /** {@code name} or {@code name:version}; null when there is no such parameter or version. */
    private Stored lookup(String nameAndSelector) {
        int colon = nameAndSelector.lastIndexOf(':');
        String name = colon > 0 ? nameAndSelector.substring(0, colon) : nameAndSelector;
        List<Stored> versions = parameters.get(name);
        if (versions == null) {
            return parameters.containsKey(nameAndSelector) ? latest(nameAndSelector) : null;
        }
        if (colon < 0) {
            return latest(name);
        }
        String selector = nameAndSelector.substring(colon + 1);
        return versions.stream().filter(v -> String.valueOf(v.version()).equals(selector)).findFirst().orElse(null);
    }

    private Stored lookupOrThrow(String nameAndSelector) {
        Stored stored = lookup(nameAndSelector);
        if (stored != null) {
            return stored;
        }
        int colon = nameAndSelector.lastIndexOf(':');
        if (colon > 0 && parameters.containsKey(nameAndSelector.substring(0, colon))) {
            throw AwsError.of("ParameterVersionNotFound", "Systems Manager could not find version "
                    + nameAndSelector.substring(colon + 1) + " of " + nameAndSelector.substring(0, colon)
                    + ". Verify the version and try again.");
        }
        throw AwsError.of("ParameterNotFound", "Parameter " + nameAndSelector + " not found.");
    }

    private ObjectNode shape(Stored stored, String asked, boolean decrypt) {
        ObjectNode shape = WireTree.object().put("Name", stored.name()).put("Type", stored.type())
                .put("Value", stored.shownValue(decrypt)).put("Version", stored.version());
        if (!asked.equals(stored.name())) {
            shape.put("Selector", asked.substring(stored.name().length()));
        }
        shape.putPOJO("LastModifiedDate", stored.modified());
        shape.put("ARN", "arn:aws:ssm:" + region + ":" + accountId + ":parameter"
                + (stored.name().startsWith("/") ? "" : "/") + stored.name());
        shape.put("DataType", stored.dataType());
        return shape;
    }

    private static String attribute(Stored stored, String key) {
        return switch (key) {
            case "Type" -> stored.type();
            case "KeyId" -> stored.keyId();
            case "Tier" -> stored.tier();
            default -> stored.dataType();
        };
    }

    /** An opaque stand-in for KMS ciphertext: random bytes, base64, nothing taken from the value. */
    private static String ciphertext() {
        byte[] bytes = new byte[96];
        RANDOM.nextBytes(bytes);
        return "AQICAH" + Base64.getEncoder().encodeToString(bytes);
    }

    /** The names of the parameters, for tests and messages. */
    public synchronized Set<String> names() {
        return Set.copyOf(parameters.keySet());
    }
}
