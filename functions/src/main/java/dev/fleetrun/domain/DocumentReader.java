package dev.fleetrun.domain;

import static dev.fleetrun.domain.JsonReader.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads what a run executes: a {@code document}, shell {@code commands}, and the {@code rollback} built of
 * either (the rules are in {@link RunRequestParser}). The document allow-list applies to every document, and
 * shell commands need one of the two AWS shell documents on it.
 */
final class DocumentReader {

    static final Pattern DOCUMENT_NAME = Pattern.compile("^[a-zA-Z0-9_\\-.:/]{3,128}$");
    static final Pattern DOCUMENT_VERSION = Pattern.compile("^(\\$DEFAULT|\\$LATEST|[1-9][0-9]{0,8})$");
    /** SSM documents, and so their parameters, are limited to 64 KB. */
    static final int MAX_COMMANDS_BYTES = 64 * 1024;
    static final int MAX_EXECUTION_TIMEOUT = 172_800;

    private static final List<String> DOCUMENT_FIELDS = List.of("name", "version", "parameters");
    private static final List<String> ROLLBACK_FIELDS = List.of("commands", "document", "scope");

    private final Set<String> allowed;

    DocumentReader(Set<String> allowed) {
        this.allowed = allowed;
    }

    /** The document at {@code path}, or {@code null} when any part of it is wrong. */
    DocumentSpec document(JsonNode n, String path, Problems p) {
        ObjectNode o = JsonReader.object(n, path,
                "{\"name\": \"AWS-RunShellScript\", \"parameters\": {\"commands\": [\"uptime\"]}}", p);
        if (o == null) {
            return null;
        }
        int before = p.count();
        JsonReader.unknownFields(o, path, DOCUMENT_FIELDS, p);
        String name = name(field(o, "name"), path + ".name", p);
        String version = version(field(o, "version"), path + ".version", p);
        Map<String, List<String>> parameters = parameters(field(o, "parameters"), path + ".parameters", p);
        if (name != null && parameters != null && (name.equals(DocumentSpec.RUN_SHELL_SCRIPT)
                || name.equals(DocumentSpec.RUN_POWERSHELL_SCRIPT))) {
            shellParameters(name, parameters, path + ".parameters", p);
        }
        return p.count() == before ? new DocumentSpec(name, version, parameters) : null;
    }

    private String name(JsonNode n, String path, Problems p) {
        if (n == null) {
            p.add(path, "is required: the SSM document to run, one of " + allowedList());
            return null;
        }
        String name = JsonReader.string(n, path, p);
        if (name == null) {
            return null;
        }
        if (!DOCUMENT_NAME.matcher(name).matches()) {
            p.add(path, "\"" + name + "\" is not an SSM document name: 3 to 128 letters, digits and _-.:/");
            return null;
        }
        if (!allowed.contains(name)) {
            p.add(path, "\"" + name + "\" is not allowed in this deployment; allowed: " + allowedList()
                    + ". The list is the deployment setting " + RunRequestParser.ALLOWED_DOCUMENTS_SETTING);
            return null;
        }
        return name;
    }

    private static String version(JsonNode n, String path, Problems p) {
        if (n == null) {
            return DocumentSpec.DEFAULT_VERSION;
        }
        if (n.isNumber()) {
            // SSM's DocumentVersion is a string; a bare 3 is refused rather than guessed at (3.0? "3"?).
            p.add(path, "must be a string: \"$DEFAULT\", \"$LATEST\" or a version number in quotes such as \"3\","
                    + " got the number " + n.asText() + (n.isIntegralNumber() && n.asLong() > 0 ? " (write \"" + n.asText() + "\")" : ""));
            return null;
        }
        String version = n.isTextual() ? n.textValue() : null;
        if (version == null || !DOCUMENT_VERSION.matcher(version).matches()) {
            p.add(path, "must be \"$DEFAULT\", \"$LATEST\" or a version number such as \"3\", got "
                    + (version == null ? JsonKinds.describe(n) : "\"" + version + "\""));
            return null;
        }
        return version;
    }

    private static Map<String, List<String>> parameters(JsonNode n, String path, Problems p) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (n == null) {
            return parameters;
        }
        ObjectNode o = JsonReader.object(n, path, "{\"commands\": [\"uptime\"], \"executionTimeout\": [\"600\"]}", p);
        if (o == null) {
            return null;
        }
        int before = p.count();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String parameterPath = path + "." + e.getKey();
            if (e.getKey().isBlank()) {
                p.add(path, "a parameter name must not be blank");
                continue;
            }
            List<String> values = parameterValues(e.getValue(), parameterPath, p);
            if (values != null) {
                parameters.put(e.getKey(), values);
            }
        }
        return p.count() == before ? parameters : null;
    }

    /** SSM takes every parameter as a list of strings; a whole number in the list is taken as its text. */
    private static List<String> parameterValues(JsonNode n, String path, Problems p) {
        if (!(n instanceof ArrayNode a)) {
            String wrapped = n.isTextual() || n.isNumber() ? " (wrap the value in a list: [" + quoted(n) + "])" : "";
            p.add(path, "must be a list of strings, as SSM takes every parameter, got " + JsonKinds.describe(n) + wrapped);
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode item = a.get(i);
            if (item.isTextual()) {
                values.add(item.textValue());
            } else if (item.isIntegralNumber()) {
                values.add(item.asText());
            } else {
                p.addItem(path, i, "must be a string, got " + JsonKinds.describe(item));
            }
        }
        p.endList(path);
        return values;
    }

    private static String quoted(JsonNode n) {
        return n.isTextual() ? n.toString() : "\"" + n.asText() + "\"";
    }

    /** Checks what SSM would reject later for the two shell documents: no commands, a bad executionTimeout. */
    private static void shellParameters(String name, Map<String, List<String>> parameters, String path, Problems p) {
        List<String> commands = parameters.get(DocumentSpec.COMMANDS);
        if (commands == null || commands.isEmpty()) {
            p.add(path + "." + DocumentSpec.COMMANDS, "is required: " + name + " runs the lines in commands, such as [\"uptime\"]");
        } else {
            checkSize(commands, path + "." + DocumentSpec.COMMANDS, p);
        }
        List<String> timeout = parameters.get(DocumentSpec.EXECUTION_TIMEOUT);
        if (timeout != null && (timeout.size() != 1 || !timeout.get(0).matches("[1-9][0-9]{0,5}")
                || Integer.parseInt(timeout.get(0)) > MAX_EXECUTION_TIMEOUT)) {
            p.add(path + "." + DocumentSpec.EXECUTION_TIMEOUT, "must be one number of seconds from 1 to "
                    + MAX_EXECUTION_TIMEOUT + " such as [\"600\"], got " + timeout
                    + "; or leave it out and set timeoutSeconds");
        }
    }

    /** Shell lines at {@code path}: a non-empty list of non-blank strings under 64 KB in all. */
    List<String> commands(JsonNode n, String path, Problems p) {
        int before = p.count();
        List<String> commands = JsonReader.strings(n, path, 1, Integer.MAX_VALUE, "[\"systemctl restart nginx\"]", p);
        if (commands == null) {
            return null;
        }
        checkSize(commands, path, p);
        if (!allowed.contains(DocumentSpec.RUN_SHELL_SCRIPT) && !allowed.contains(DocumentSpec.RUN_POWERSHELL_SCRIPT)) {
            p.add(path, "commands run as " + DocumentSpec.RUN_SHELL_SCRIPT + " or " + DocumentSpec.RUN_POWERSHELL_SCRIPT
                    + ", and neither is allowed in this deployment; use a document instead, one of " + allowedList()
                    + " (the deployment setting " + RunRequestParser.ALLOWED_DOCUMENTS_SETTING + ")");
        }
        return p.count() == before ? commands : null;
    }

    private static void checkSize(List<String> commands, String path, Problems p) {
        long bytes = commands.stream().mapToLong(c -> c.getBytes(StandardCharsets.UTF_8).length + 1L).sum();
        if (bytes >= MAX_COMMANDS_BYTES) {
            p.add(path, "add up to " + bytes + " bytes, and SSM takes less than 64 KB; put the script on the nodes"
                    + " (or in S3) and run it by its path");
        }
    }

    /** The rollback, or {@code null} when any part of it is wrong. */
    RollbackSpec rollback(JsonNode n, Problems p) {
        ObjectNode o = JsonReader.object(n, "rollback", "{\"commands\": [\"/opt/app/rollback.sh\"]}", p);
        if (o == null) {
            return null;
        }
        int before = p.count();
        JsonReader.unknownFields(o, "rollback", ROLLBACK_FIELDS, p);
        JsonNode commandsNode = field(o, "commands");
        JsonNode documentNode = field(o, "document");
        List<String> commands = commandsNode == null ? List.of() : commands(commandsNode, "rollback.commands", p);
        DocumentSpec document = documentNode == null ? null : document(documentNode, "rollback.document", p);
        if (commandsNode != null && documentNode != null) {
            p.add("rollback.commands", "give either commands or document, not both");
        } else if (commandsNode == null && documentNode == null) {
            p.add("rollback", "needs commands (such as [\"/opt/app/rollback.sh\"]) or a document; leave rollback out"
                    + " for a run that only stops on a breach");
        }
        RollbackScope scope = RollbackScope.SUCCEEDED;
        JsonNode scopeNode = field(o, "scope");
        if (scopeNode != null) {
            String id = JsonReader.string(scopeNode, "rollback.scope", p);
            if (id != null) {
                try {
                    scope = RollbackScope.fromId(id);
                } catch (IllegalArgumentException e) {
                    p.add("rollback.scope", e.getMessage());
                }
            }
        }
        return p.count() == before ? new RollbackSpec(commands, document, scope) : null;
    }

    private String allowedList() {
        return allowed.isEmpty() ? "(none: no document is allowed)" : String.join(", ", new TreeSet<>(allowed));
    }
}
