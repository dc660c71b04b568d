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
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The Command documents of the simulated SSM and their versions, with the document operations of
 * SSM's API: CreateDocument, UpdateDocument (a new version), UpdateDocumentDefaultVersion,
 * DescribeDocument, GetDocument, ListDocuments, ListDocumentVersions, DeleteDocument, with the
 * model's member checks and SSM's errors ({@code DocumentAlreadyExists}, {@code InvalidDocument},
 * {@code InvalidDocumentVersion}, {@code InvalidDocumentContent}, {@code DuplicateDocumentContent},
 * {@code DuplicateDocumentVersionName}, {@code InvalidDocumentOperation}). The shapes follow the
 * service model and the AWS CLI's examples (create-document answers {@code Status: Creating},
 * update-document {@code Updating}; the version is {@code Active} from then on).
 *
 * <p>Not thread-safe: the simulated SSM calls it under its own lock.
 */
final class SsmDocuments {
    /** CreateDocument's and UpdateDocument's Name: AWS's documents' names are refused ({@code aws-}, amazon, amzn). */
    static final String NAME_PATTERN = "^[a-zA-Z0-9_\\-.]{3,128}$";
    static final String ARN_PATTERN = "^[a-zA-Z0-9_\\-.:/]{3,128}$";
    static final String VERSION_NAME_PATTERN = "^[a-zA-Z0-9_\\-.]{1,128}$";
    static final int MAX_VERSIONS = 1000;

    private final String accountId;
    private final Clock clock;
    private final Map<String, Versions> documents = new TreeMap<>();

    /** All versions of one document; version n is at index n - 1 (deleted ones are null). */
    private static final class Versions {
        final List<SsmDocument> versions = new ArrayList<>();
        int defaultVersion = 1;
        final List<ObjectNode> tags = new ArrayList<>();

        SsmDocument latest() {
            for (int i = versions.size() - 1; i >= 0; i--) {
                if (versions.get(i) != null) {
                    return versions.get(i);
                }
            }
            throw new IllegalStateException("no version left");
        }

        SsmDocument version(int n) {
            return n >= 1 && n <= versions.size() ? versions.get(n - 1) : null;
        }

        List<SsmDocument> live() {
            return versions.stream().filter(java.util.Objects::nonNull).toList();
        }
    }

    SsmDocuments(String accountId, Clock clock) {
        this.accountId = accountId;
        this.clock = clock;
        SsmDocument.builtIn().forEach(this::add);
    }

    /** Adds a document as its own (a new name) or as the next version of a document of that name. */
    void add(SsmDocument document) {
        Versions versions = documents.computeIfAbsent(document.name(), name -> new Versions());
        versions.versions.add(new SsmDocument(document.name(), versions.versions.size() + 1, document.versionName(),
                document.displayName(), document.owner(), document.format(), document.content(), document.schemaVersion(),
                document.description(), document.parameters(), document.steps(), document.targetType(),
                document.createdDate()));
    }

    /** The names of the documents known. */
    List<String> names() {
        return List.copyOf(documents.keySet());
    }

    /**
     * The version SendCommand runs: {@code $DEFAULT} (or none) the default, {@code $LATEST} the latest,
     * a number that version. {@code InvalidDocument} for an unknown name, {@code InvalidDocumentVersion}
     * for a version it does not have.
     */
    SsmDocument resolve(String name, String version) {
        Versions versions = existing(name);
        if (version == null || version.isEmpty() || version.equals("$DEFAULT")) {
            return versions.version(versions.defaultVersion);
        }
        if (version.equals("$LATEST")) {
            return versions.latest();
        }
        SsmDocument found = versions.version(Integer.parseInt(version));
        if (found == null) {
            throw AwsError.of("InvalidDocumentVersion", "Document " + name + " has no version " + version + "; its"
                    + " versions are " + versions.live().stream().map(d -> String.valueOf(d.version())).toList()
                    + " (default " + versions.defaultVersion + ", latest " + versions.latest().version() + ")");
        }
        return found;
    }

    // ---- the operations ----

    ObjectNode create(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, NAME_PATTERN);
        String content = requiredText(input, "Content");
        checkLength("Content", content, 1, Integer.MAX_VALUE);
        String versionName = optionalText(input, "VersionName", null);
        checkPattern("VersionName", versionName, VERSION_NAME_PATTERN);
        String displayName = optionalText(input, "DisplayName", null);
        checkLength("DisplayName", displayName, 0, 1024);
        String targetType = optionalText(input, "TargetType", null);
        checkPattern("TargetType", targetType, "^\\/[\\w\\.\\-\\:\\/]*$");
        String type = optionalText(input, "DocumentType", SsmDocument.COMMAND);
        String format = format(input);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aws-") || lower.startsWith("amazon") || lower.startsWith("amzn")) {
            throw AwsError.of("ValidationException", "Document name " + name + " is reserved: names beginning with"
                    + " aws-, amazon or amzn belong to AWS's documents; choose another name");
        }
        if (!type.equals(SsmDocument.COMMAND)) {
            throw AwsError.notImplemented("documents of type " + type, "the simulated SSM keeps Command documents");
        }
        for (String unsupported : List.of("Requires", "Attachments")) {
            if (RequestFields.has(input, unsupported)) {
                throw AwsError.notImplemented("CreateDocument with " + unsupported, "send the document's content alone");
            }
        }
        if (documents.containsKey(name)) {
            throw AwsError.of("DocumentAlreadyExists", "The specified document already exists: " + name
                    + " (make a new version with UpdateDocument)");
        }
        SsmDocument document = DocumentParser.parse(name, 1, format, content, accountId, clock.instant(), versionName,
                displayName, targetType);
        Versions versions = new Versions();
        versions.versions.add(document);
        RequestFields.list(input, "Tags").forEach(tag -> versions.tags.add(WireTree.object()
                .put("Key", tag.path("Key").asText()).put("Value", tag.path("Value").asText())));
        documents.put(name, versions);
        ObjectNode answer = WireTree.object();
        answer.set("DocumentDescription", description(versions, document).put("Status", "Creating"));
        return answer;
    }

    ObjectNode update(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, NAME_PATTERN);
        String content = requiredText(input, "Content");
        String version = optionalText(input, "DocumentVersion", null);
        checkPattern("DocumentVersion", version, SendCommandInput.DOCUMENT_VERSION_PATTERN);
        String versionName = optionalText(input, "VersionName", null);
        checkPattern("VersionName", versionName, VERSION_NAME_PATTERN);
        String format = format(input);
        Versions versions = existing(name);
        SsmDocument latest = versions.latest();
        if (latest.ownedByAmazon()) {
            throw AwsError.of("InvalidDocumentOperation", "Document " + name + " belongs to AWS: it can't be updated;"
                    + " create a document of your own");
        }
        if (version != null && !version.equals("$LATEST") && !version.equals(String.valueOf(latest.version()))) {
            throw AwsError.of("InvalidDocumentVersion", "The document version is not valid or does not exist: update"
                    + " from the latest version of " + name + " (" + latest.version() + ", or $LATEST), not " + version);
        }
        if (versionName != null && versions.live().stream().anyMatch(d -> versionName.equals(d.versionName()))) {
            throw AwsError.of("DuplicateDocumentVersionName", "The specified version name is a duplicate: " + name
                    + " already has a version named " + versionName);
        }
        for (SsmDocument existing : versions.live()) {
            if (existing.content().equals(content)) {
                throw AwsError.of("DuplicateDocumentContent", "The content of the document matches version "
                        + existing.version() + " of " + name + ". Change the content of the document and try again.");
            }
        }
        if (versions.versions.size() >= MAX_VERSIONS) {
            throw AwsError.of("DocumentVersionLimitExceeded", "Document " + name + " has " + MAX_VERSIONS
                    + " versions, the most SSM keeps; delete old versions first");
        }
        SsmDocument document = DocumentParser.parse(name, versions.versions.size() + 1, format, content, latest.owner(),
                clock.instant(), versionName, optionalText(input, "DisplayName", latest.displayName()),
                optionalText(input, "TargetType", latest.targetType()));
        versions.versions.add(document);
        ObjectNode answer = WireTree.object();
        answer.set("DocumentDescription", description(versions, document).put("Status", "Updating"));
        return answer;
    }

    ObjectNode updateDefaultVersion(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, NAME_PATTERN);
        String version = requiredText(input, "DocumentVersion");
        checkPattern("DocumentVersion", version, "(^[1-9][0-9]*$)");
        Versions versions = existing(name);
        SsmDocument document = versions.version(Integer.parseInt(version));
        if (document == null) {
            throw AwsError.of("InvalidDocumentVersion", "Document " + name + " has no version " + version);
        }
        if (document.ownedByAmazon()) {
            throw AwsError.of("InvalidDocumentOperation", "Document " + name + " belongs to AWS: its default version"
                    + " can't be changed");
        }
        versions.defaultVersion = document.version();
        ObjectNode description = WireTree.object().put("Name", name).put("DefaultVersion", version);
        if (document.versionName() != null) {
            description.put("DefaultVersionName", document.versionName());
        }
        ObjectNode answer = WireTree.object();
        answer.set("Description", description);
        return answer;
    }

    ObjectNode describe(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, ARN_PATTERN);
        Versions versions = existing(name);
        SsmDocument document = chosen(versions, name, input);
        ObjectNode answer = WireTree.object();
        answer.set("Document", description(versions, document).put("Status", "Active"));
        return answer;
    }

    ObjectNode get(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, ARN_PATTERN);
        String format = optionalText(input, "DocumentFormat", null);
        if (format != null) {
            checkFormat(format);
        }
        Versions versions = existing(name);
        SsmDocument document = chosen(versions, name, input);
        String shownFormat = format == null ? document.format() : format;
        ObjectNode answer = WireTree.object().put("Name", document.name());
        answer.putPOJO("CreatedDate", document.createdDate());
        if (document.displayName() != null) {
            answer.put("DisplayName", document.displayName());
        }
        if (document.versionName() != null) {
            answer.put("VersionName", document.versionName());
        }
        answer.put("DocumentVersion", String.valueOf(document.version()))
                .put("Status", "Active")
                .put("Content", DocumentParser.convert(document.content(), document.format(), shownFormat))
                .put("DocumentType", SsmDocument.COMMAND)
                .put("DocumentFormat", shownFormat);
        return answer;
    }

    ObjectNode list(JsonNode input) {
        if (RequestFields.has(input, "DocumentFilterList") && RequestFields.has(input, "Filters")) {
            throw AwsError.of("ValidationException", "Give Filters or DocumentFilterList, not both (DocumentFilterList"
                    + " is the older form)");
        }
        int maxResults = SsmRequests.maxResults(input, 1, 50, 50);
        Predicate<Versions> filter = listFilter(input);
        List<SsmDocument> listed = new ArrayList<>();
        for (Versions versions : documents.values()) {
            if (filter.test(versions)) {
                listed.add(versions.version(versions.defaultVersion));
            }
        }
        Page<SsmDocument> page = Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode identifiers = answer.putArray("DocumentIdentifiers");
        for (SsmDocument document : page.items()) {
            ObjectNode identifier = identifiers.addObject().put("Name", document.name());
            identifier.putPOJO("CreatedDate", document.createdDate());
            if (document.displayName() != null) {
                identifier.put("DisplayName", document.displayName());
            }
            identifier.put("Owner", document.owner());
            if (document.versionName() != null) {
                identifier.put("VersionName", document.versionName());
            }
            ArrayNode platforms = identifier.putArray("PlatformTypes");
            document.platformTypes().forEach(platforms::add);
            identifier.put("DocumentVersion", String.valueOf(document.version()))
                    .put("DocumentType", SsmDocument.COMMAND)
                    .put("SchemaVersion", document.schemaVersion())
                    .put("DocumentFormat", document.format());
            if (document.targetType() != null) {
                identifier.put("TargetType", document.targetType());
            }
            identifier.set("Tags", tags(documents.get(document.name())));
        }
        return SsmRequests.withNextToken(answer, page);
    }

    ObjectNode listVersions(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, ARN_PATTERN);
        int maxResults = SsmRequests.maxResults(input, 1, 50, 50);
        Versions versions = existing(name);
        Page<SsmDocument> page = Page.of(versions.live(), maxResults, optionalText(input, "NextToken", null),
                "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode list = answer.putArray("DocumentVersions");
        for (SsmDocument document : page.items()) {
            ObjectNode info = list.addObject().put("Name", document.name());
            if (document.displayName() != null) {
                info.put("DisplayName", document.displayName());
            }
            info.put("DocumentVersion", String.valueOf(document.version()));
            if (document.versionName() != null) {
                info.put("VersionName", document.versionName());
            }
            info.putPOJO("CreatedDate", document.createdDate());
            info.put("IsDefaultVersion", document.version() == versions.defaultVersion)
                    .put("DocumentFormat", document.format())
                    .put("Status", "Active");
        }
        return SsmRequests.withNextToken(answer, page);
    }

    /**
     * Deletes every version, or the one named by DocumentVersion or VersionName (not the default one,
     * as SSM refuses: {@code InvalidDocumentOperation}). Commands already sent keep their document.
     */
    ObjectNode delete(JsonNode input) {
        String name = requiredText(input, "Name");
        checkPattern("Name", name, NAME_PATTERN);
        String version = optionalText(input, "DocumentVersion", null);
        checkPattern("DocumentVersion", version, SendCommandInput.DOCUMENT_VERSION_PATTERN);
        String versionName = optionalText(input, "VersionName", null);
        Versions versions = existing(name);
        if (versions.latest().ownedByAmazon()) {
            throw AwsError.of("InvalidDocumentOperation", "Document " + name + " belongs to AWS: it can't be deleted");
        }
        if (version == null && versionName == null) {
            documents.remove(name);
            return WireTree.object();
        }
        SsmDocument document = chosen(versions, name, input);
        if (document.version() == versions.defaultVersion) {
            throw AwsError.of("InvalidDocumentOperation", "Version " + document.version() + " is the default version"
                    + " of " + name + ": it can't be deleted. Make another version the default"
                    + " (UpdateDocumentDefaultVersion), or delete the whole document");
        }
        versions.versions.set(document.version() - 1, null);
        return WireTree.object();
    }

    // ---- helpers ----

    private Versions existing(String name) {
        Versions versions = documents.get(name);
        if (versions == null) {
            throw AwsError.of("InvalidDocument", "Document " + name + " does not exist here; the simulated SSM knows "
                    + documents.keySet() + " (create one with CreateDocument)");
        }
        return versions;
    }

    /** The version DocumentVersion and VersionName choose (the default one when neither is given). */
    private SsmDocument chosen(Versions versions, String name, JsonNode input) {
        String version = optionalText(input, "DocumentVersion", null);
        checkPattern("DocumentVersion", version, SendCommandInput.DOCUMENT_VERSION_PATTERN);
        String versionName = optionalText(input, "VersionName", null);
        SsmDocument document = version == null ? versions.version(versions.defaultVersion) : resolve(name, version);
        if (versionName != null) {
            SsmDocument named = versions.live().stream().filter(d -> versionName.equals(d.versionName()))
                    .filter(d -> version == null || d.version() == document.version()).findFirst().orElse(null);
            if (named == null) {
                throw AwsError.of("InvalidDocument", "Document " + name + " has no version named " + versionName
                        + (version == null ? "" : " at version " + version));
            }
            return named;
        }
        return document;
    }

    private ObjectNode description(Versions versions, SsmDocument document) {
        ObjectNode shape = WireTree.object()
                .put("Hash", document.hash())
                .put("HashType", "Sha256")
                .put("Name", document.name());
        if (document.displayName() != null) {
            shape.put("DisplayName", document.displayName());
        }
        if (document.versionName() != null) {
            shape.put("VersionName", document.versionName());
        }
        shape.put("Owner", document.owner());
        shape.putPOJO("CreatedDate", document.createdDate());
        shape.put("Status", "Active")
                .put("DocumentVersion", String.valueOf(document.version()))
                .put("Description", document.description());
        ArrayNode parameters = shape.putArray("Parameters");
        if (document.parameters() != null) {
            document.parameters().forEach(parameter -> parameters.add(parameter.shape()));
        }
        ArrayNode platforms = shape.putArray("PlatformTypes");
        document.platformTypes().forEach(platforms::add);
        shape.put("DocumentType", SsmDocument.COMMAND)
                .put("SchemaVersion", document.schemaVersion())
                .put("LatestVersion", String.valueOf(versions.latest().version()))
                .put("DefaultVersion", String.valueOf(versions.defaultVersion))
                .put("DocumentFormat", document.format());
        if (document.targetType() != null) {
            shape.put("TargetType", document.targetType());
        }
        shape.set("Tags", tags(versions));
        return shape;
    }

    private static ArrayNode tags(Versions versions) {
        ArrayNode tags = WireTree.JSON.createArrayNode();
        versions.tags.forEach(tags::add);
        return tags;
    }

    private static String format(JsonNode input) {
        String format = optionalText(input, "DocumentFormat", "JSON");
        checkFormat(format);
        if (format.equals("TEXT")) {
            throw AwsError.of("InvalidDocumentContent", "DocumentFormat TEXT is for other document types; a Command"
                    + " document's content is JSON or YAML");
        }
        return format;
    }

    private static void checkFormat(String format) {
        if (!List.of("YAML", "JSON", "TEXT").contains(format)) {
            throw AwsError.validation("documentFormat", format, "Member must satisfy enum value set: [YAML, JSON, TEXT]");
        }
    }

    /** ListDocuments' Filters (Key/Values) or the older DocumentFilterList (key/value); all must match. */
    private Predicate<Versions> listFilter(JsonNode input) {
        Predicate<Versions> all = versions -> true;
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (JsonNode filter : RequestFields.list(input, "Filters")) {
            filters.put(filter.path("Key").asText(), RequestFields.textList(filter, "Values"));
        }
        for (JsonNode filter : RequestFields.list(input, "DocumentFilterList")) {
            filters.computeIfAbsent(filter.path("key").asText(), key -> new ArrayList<>()).add(filter.path("value").asText());
        }
        for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
            all = all.and(one(filter.getKey(), filter.getValue()));
        }
        return all;
    }

    private Predicate<Versions> one(String key, List<String> values) {
        if (key.startsWith("tag:")) {
            String tagKey = key.substring(4);
            return versions -> versions.tags.stream().anyMatch(tag -> tag.path("Key").asText().equals(tagKey)
                    && (values.isEmpty() || values.contains(tag.path("Value").asText())));
        }
        return switch (key) {
            case "Name" -> versions -> values.stream().anyMatch(value -> versions.latest().name().startsWith(value));
            case "Owner" -> versions -> values.stream().anyMatch(value -> owns(value, versions.latest()));
            case "PlatformTypes" -> versions -> versions.version(versions.defaultVersion).platformTypes().stream()
                    .anyMatch(values::contains);
            case "DocumentType" -> versions -> values.contains(SsmDocument.COMMAND);
            case "SchemaVersion" -> versions -> values.contains(versions.version(versions.defaultVersion).schemaVersion());
            case "TargetType" -> versions -> values.contains(versions.version(versions.defaultVersion).targetType());
            default -> throw AwsError.of("InvalidFilterKey", "Filter key '" + key + "' is not one ListDocuments takes"
                    + " here: Name, Owner, PlatformTypes, DocumentType, SchemaVersion, TargetType, tag:<key>");
        };
    }

    private boolean owns(String owner, SsmDocument document) {
        return switch (owner) {
            case "Self", "Private" -> !document.ownedByAmazon();
            case "Amazon" -> document.ownedByAmazon();
            case "All" -> true;
            default -> owner.equals(document.owner());
        };
    }
}
