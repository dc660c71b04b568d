package dev.fleetrun.domain;

import static dev.fleetrun.domain.JsonReader.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates a run request (execution input, version 1) and builds a {@link RunRequest}, or throws
 * {@link InvalidInputException} naming every bad field at once, so a bad request fails before anything is sent.
 *
 * <p>The rules, field by field (a field set to JSON {@code null} counts as absent):
 * <ul>
 * <li>{@code version}: optional; must be 1.</li>
 * <li>{@code name}: optional, {@code ^[A-Za-z0-9._-]{1,64}$}, default {@code "run"}.</li>
 * <li>{@code targets} or {@code instanceIds}: exactly one, non-empty. {@code targets} has 1..5 filters
 *     {@code {key, values}}; the key is {@code tag:<key>} (tag key 1..128 characters), {@code tag-key},
 *     {@code resource-groups:Name} (exactly one value), or {@code resource-groups:ResourceTypeFilters} (1..5 of
 *     {@code AWS::EC2::Instance}, {@code AWS::SSM::ManagedInstance}, only beside {@code resource-groups:Name}), each
 *     key once; values are 1..50 non-blank strings.
 *     {@code instanceIds} has 1..10,000 distinct ids matching {@code ^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$}.</li>
 * <li>{@code document} or {@code commands}: exactly one. {@code commands} is a non-empty list of non-blank
 *     strings, under 64 KB in all, and needs AWS-RunShellScript or AWS-RunPowerShellScript on the allow-list.
 *     {@code document} is {@code {name, version, parameters}}: the name matches
 *     {@code ^[a-zA-Z0-9_\-.:/]{3,128}$} and is on the allow-list; version is {@code $DEFAULT} (default),
 *     {@code $LATEST} or a positive number, as a string (SSM's DocumentVersion; a JSON number is refused); parameters map names to lists of strings (a whole number in a list
 *     is taken as its text; a bare string is an error that says to wrap it in a list). The two AWS shell
 *     documents need a non-empty {@code commands} parameter and at most one {@code executionTimeout} of
 *     1..172800 seconds.</li>
 * <li>{@code maxConcurrency}: SSM's MaxConcurrency form ({@link Rate#parseConcurrency}), default {@code "50"};
 *     {@code maxErrors}: SSM's MaxErrors form ({@link Rate#parseErrors}), default {@code "0"}. Both also take a
 *     JSON integer, since operators write {@code 2}.</li>
 * <li>{@code waves}: optional, 1..100 {@link WaveSize} entries; absent means the default plan ({@link WavePlanner}).
 *     An entry may not be smaller than the one before it in the same unit ([3, 2], ["50%", "10%"]); entries of
 *     different units are compared on the plan ({@link PlanChecks#checkAgainstPlan}).</li>
 * <li>{@code bakeSeconds}: 0..86400, default 0. {@code approvalAfterWave}: 0..1000, default 0 (no gate); it must
 *     be below the number of planned waves (the gate sits between waves), which {@link PlanChecks#checkAgainstPlan}
 *     checks, not here.</li>
 * <li>{@code alarms}: 0..5 distinct CloudWatch alarm names of 1..255 characters.</li>
 * <li>{@code rollback}: {@code {"commands": [...]}} or {@code {"document": {...}}}, optional
 *     {@code "scope": "succeeded" | "touched"} (default succeeded). The allow-list applies.</li>
 * <li>{@code timeoutSeconds}: 5..172800, default 600: the longest one node's command may run.</li>
 * <li>{@code output}: {@code {s3Bucket, s3KeyPrefix, cloudWatchLogGroup}}, at least a bucket or a log group:
 *     the bucket follows S3's naming rules (3..63 characters), the key prefix is at most 500 characters and needs
 *     a bucket, the log group is 1..512 of {@code [.\-_/#A-Za-z0-9]}.</li>
 * <li>{@code comment}: at most 256 characters, no control characters (a NUL byte, a line break). {@code dryRun}: a boolean, default false.
 *     {@code trigger}: any object (schedule and alarm triggers add it).</li>
 * </ul>
 * Unknown fields are errors that name the field, suggest the known field it resembles and list the known ones;
 * the same holds inside {@code targets[i]}, {@code document}, {@code rollback} and {@code output}. A value of the
 * wrong JSON type is an error that says which type was expected and which was given. Errors are reported in
 * the order of the fields above, unknown fields last; each names its field path, such as
 * {@code targets[1].values} or {@code document.parameters.commands}.
 */
public final class RunRequestParser {

    /** The deployment setting (function environment variable) that lists the documents a request may use. */
    public static final String ALLOWED_DOCUMENTS_SETTING = "FLEETRUN_ALLOWED_DOCUMENTS";
    /** The documents allowed when the setting is absent: the two AWS shell documents. */
    public static final Set<String> DEFAULT_ALLOWED_DOCUMENTS =
            Set.of(DocumentSpec.RUN_SHELL_SCRIPT, DocumentSpec.RUN_POWERSHELL_SCRIPT);

    public static final String DEFAULT_NAME = "run";
    public static final Rate DEFAULT_MAX_CONCURRENCY = Rate.count(50);
    public static final Rate DEFAULT_MAX_ERRORS = Rate.count(0);
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;
    public static final int MAX_WAVES = 100;
    public static final int MAX_BAKE_SECONDS = 86_400;
    public static final int MAX_APPROVAL_AFTER_WAVE = 1000;
    public static final int MIN_TIMEOUT_SECONDS = 5;
    public static final int MAX_TIMEOUT_SECONDS = 172_800;
    public static final int MAX_ALARMS = 5;
    public static final int MAX_ALARM_NAME_LENGTH = 255;
    public static final int MAX_COMMENT_LENGTH = 256;

    /** The request's top-level fields, in the order their errors are reported. */
    static final List<String> FIELDS = List.of("version", "name", "targets", "instanceIds", "document", "commands",
            "maxConcurrency", "maxErrors", "waves", "bakeSeconds", "approvalAfterWave", "alarms", "rollback",
            "timeoutSeconds", "output", "comment", "dryRun", "trigger");

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private final Set<String> allowedDocuments;
    private final DocumentReader documents;

    /** @param allowedDocuments the document names a request may use (the deployment's {@value #ALLOWED_DOCUMENTS_SETTING}) */
    public RunRequestParser(Set<String> allowedDocuments) {
        this.allowedDocuments = Set.copyOf(allowedDocuments);
        this.documents = new DocumentReader(this.allowedDocuments);
    }

    public Set<String> allowedDocuments() {
        return allowedDocuments;
    }

    /**
     * Validates {@code json} and returns the request with every default filled in.
     *
     * @throws InvalidInputException listing every error found
     */
    public RunRequest parse(JsonNode json) {
        Problems p = new Problems();
        if (!(json instanceof ObjectNode o)) {
            p.add("request", "must be a JSON object such as {\"targets\": [...], \"commands\": [...]}, got "
                    + JsonKinds.describe(json));
            throw new InvalidInputException(p.errors());
        }
        version(field(o, "version"), p);
        String name = name(field(o, "name"), p);

        JsonNode targetsNode = field(o, "targets");
        JsonNode idsNode = field(o, "instanceIds");
        if (targetsNode != null && idsNode != null) {
            p.add("targets", "give either targets or instanceIds, not both");
        } else if (targetsNode == null && idsNode == null) {
            p.add("targets", "a run needs nodes: give targets (such as [{\"key\": \"tag:Role\", \"values\": [\"web\"]}])"
                    + " or instanceIds (such as [\"i-0123456789abcdef0\"])");
        }
        List<TargetSpec> targets = targetsNode == null ? List.of() : TargetsReader.targets(targetsNode, p);
        List<String> instanceIds = idsNode == null ? List.of() : TargetsReader.instanceIds(idsNode, p);

        JsonNode documentNode = field(o, "document");
        JsonNode commandsNode = field(o, "commands");
        DocumentSpec document = documentNode == null ? null : documents.document(documentNode, "document", p);
        if (documentNode == null && commandsNode == null) {
            p.add("document", "a run needs something to run: give commands (such as [\"uptime\"]) or a document"
                    + " (such as {\"name\": \"AWS-RunShellScript\", \"parameters\": {\"commands\": [\"uptime\"]}})");
        }
        List<String> commands = commandsNode == null ? List.of() : documents.commands(commandsNode, "commands", p);
        if (documentNode != null && commandsNode != null) {
            p.add("commands", "give either document or commands, not both: commands is shorthand for "
                    + DocumentSpec.RUN_SHELL_SCRIPT + " (" + DocumentSpec.RUN_POWERSHELL_SCRIPT + " on Windows);"
                    + " put the lines in document.parameters.commands instead");
        }

        Rate maxConcurrency = rate(field(o, "maxConcurrency"), "maxConcurrency", Rate::parseConcurrency,
                DEFAULT_MAX_CONCURRENCY, "\"10\" or \"25%\"", p);
        Rate maxErrors = rate(field(o, "maxErrors"), "maxErrors", Rate::parseErrors, DEFAULT_MAX_ERRORS,
                "\"2\" or \"10%\"", p);
        List<WaveSize> waves = waves(field(o, "waves"), p);
        int bakeSeconds = integer(o, "bakeSeconds", 0, MAX_BAKE_SECONDS, "seconds", 0, p);
        int approvalAfterWave = integer(o, "approvalAfterWave", 0, MAX_APPROVAL_AFTER_WAVE, "waves", 0, p);
        List<String> alarms = alarms(field(o, "alarms"), p);
        JsonNode rollbackNode = field(o, "rollback");
        RollbackSpec rollback = rollbackNode == null ? null : documents.rollback(rollbackNode, p);
        int timeoutSeconds = integer(o, "timeoutSeconds", MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, "seconds",
                DEFAULT_TIMEOUT_SECONDS, p);
        JsonNode outputNode = field(o, "output");
        OutputSpec output = outputNode == null ? null : OutputReader.output(outputNode, p);
        String comment = comment(field(o, "comment"), p);
        JsonNode dryRunNode = field(o, "dryRun");
        Boolean dryRun = dryRunNode == null ? Boolean.FALSE : JsonReader.bool(dryRunNode, "dryRun", p);
        JsonNode trigger = field(o, "trigger");
        if (trigger != null && !trigger.isObject()) {
            p.add("trigger", "must be an object (schedule and alarm triggers add it), got " + JsonKinds.describe(trigger));
        }
        JsonReader.unknownFields(o, "", FIELDS, p);

        if (p.count() > 0) {
            throw new InvalidInputException(p.errors());
        }
        return new RunRequest(name, targets, instanceIds, document, commands, maxConcurrency, maxErrors, waves,
                bakeSeconds, approvalAfterWave, alarms, rollback, timeoutSeconds, output, comment, dryRun,
                trigger == null ? null : trigger.deepCopy());
    }

    /**
     * Checks the parts of {@code request} that only the plan can settle; see {@link PlanChecks#checkAgainstPlan}.
     */
    public static List<FieldError> checkAgainstPlan(RunRequest request, WavePlan plan) {
        return PlanChecks.checkAgainstPlan(request, plan);
    }

    private static void version(JsonNode n, Problems p) {
        if (n != null && !(n.isIntegralNumber() && n.asLong() == RunRequest.VERSION)) {
            p.add("version", "must be " + RunRequest.VERSION + " (the only request version this fleetrun reads),"
                    + " got " + (n.isNumber() ? n.asText() : JsonKinds.describe(n)) + "; or leave it out");
        }
    }

    private static String name(JsonNode n, Problems p) {
        if (n == null) {
            return DEFAULT_NAME;
        }
        String name = JsonReader.string(n, "name", p);
        if (name != null && !NAME.matcher(name).matches()) {
            p.add("name", "must be 1 to 64 letters, digits, dots, hyphens or underscores, such as \"restart-web\", got \""
                    + name + "\"");
            return null;
        }
        return name;
    }

    /** A rate as a string in SSM's form, or a JSON integer taken as that count. */
    private static Rate rate(JsonNode n, String field, Function<String, Rate> parser, Rate defaultRate, String example,
                             Problems p) {
        if (n == null) {
            return defaultRate;
        }
        String text;
        if (n.isTextual()) {
            text = n.textValue();
        } else if (n.isNumber() && n.canConvertToExactIntegral()) {
            text = n.bigIntegerValue().toString();
        } else {
            p.add(field, "must be a string such as " + example + ", got " + JsonKinds.describe(n)
                    + (n.isNumber() ? " (" + n.asText() + ")" : ""));
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            p.add(field, e.getMessage());
            return null;
        }
    }

    /** The index of the first control character (U+0000..U+001F, U+007F..U+009F) in {@code s}, or -1. */
    static int firstControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String controlName(char c) {
        return switch (c) {
            case 0 -> "a NUL byte";
            case '\n' -> "a line break";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            default -> String.format("U+%04X", (int) c);
        };
    }

    private static List<WaveSize> waves(JsonNode n, Problems p) {
        if (n == null) {
            return List.of();
        }
        ArrayNode a = JsonReader.array(n, "waves", "[1, \"10%\", \"50%\", \"100%\"]", p);
        if (a == null) {
            return null;
        }
        if (a.isEmpty() || a.size() > MAX_WAVES) {
            p.add("waves", "must have 1 to " + MAX_WAVES + " entries, got " + a.size()
                    + (a.isEmpty() ? "; leave waves out for the default plan (a canary of 1, then doubling)" : ""));
            return null;
        }
        List<WaveSize> waves = new ArrayList<>();
        WaveSize previous = null;
        for (int i = 0; i < a.size(); i++) {
            try {
                WaveSize size = WaveSize.parse(a.get(i));
                if (previous != null && previous.percent() == size.percent() && size.value() < previous.value()) {
                    p.addItem("waves", i, shrinking(previous, size, i));
                } else {
                    waves.add(size);
                }
                previous = size;
            } catch (IllegalArgumentException e) {
                p.addItem("waves", i, e.getMessage());
                previous = null;
            }
        }
        p.endList("waves");
        return waves;
    }

    /**
     * Why a wave smaller than the one before is refused: each entry is the size of one wave, not a running total, and
     * a shrinking list most often means it was written as totals ([3, 2] meant as "3, then up to 2 in all").
     */
    static String shrinking(WaveSize previous, WaveSize size, int index) {
        return "wave " + (index + 1) + " (" + size + ") is smaller than wave " + index + " (" + previous + "): waves must"
                + " not shrink. Each entry is the size of one wave, not a running total (the last wave takes the rest);"
                + " for " + previous + " then the rest, write [" + quoted(previous) + ", \"100%\"]";
    }

    private static String quoted(WaveSize w) {
        return w.percent() ? "\"" + w + "\"" : w.toString();
    }

    private static int integer(ObjectNode o, String field, int min, int max, String unit, int defaultValue, Problems p) {
        JsonNode n = field(o, field);
        if (n == null) {
            return defaultValue;
        }
        Integer value = JsonReader.integer(n, field, min, max, unit, p);
        return value == null ? defaultValue : value;
    }

    private static List<String> alarms(JsonNode n, Problems p) {
        if (n == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        return JsonReader.strings(n, "alarms", 0, MAX_ALARMS, "[\"web-5xx-high\"]", alarm -> {
            if (alarm.length() > MAX_ALARM_NAME_LENGTH) {
                return "must be at most " + MAX_ALARM_NAME_LENGTH + " characters (a CloudWatch alarm name), got "
                        + alarm.length();
            }
            return seen.add(alarm) ? null : "\"" + alarm + "\" is listed twice; list each alarm once";
        }, p);
    }

    private static String comment(JsonNode n, Problems p) {
        if (n == null) {
            return null;
        }
        String comment = JsonReader.string(n, "comment", p);
        if (comment != null && comment.length() > MAX_COMMENT_LENGTH) {
            p.add("comment", "must be at most " + MAX_COMMENT_LENGTH + " characters, got " + comment.length());
            return null;
        }
        int control = comment == null ? -1 : firstControlCharacter(comment);
        if (control >= 0) {
            // SSM's Comment is plain text, and the comment goes into each SendCommand, the records and the events.
            p.add("comment", "must be plain text on one line, but character " + (control + 1) + " is a control character ("
                    + controlName(comment.charAt(control)) + "); remove it");
            return null;
        }
        return comment;
    }
}
