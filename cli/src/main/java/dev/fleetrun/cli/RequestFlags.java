package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags of {@code fleetrun run} and {@code fleetrun plan}, turned into a run request (version 1,
 * see README). {@code --input FILE} starts from a request file; flags given on top replace its fields.
 * The request is validated by the same parser the workflow's first step uses, before anything starts.
 */
public final class RequestFlags {
    /** The longest duration a flag of the request takes (the workflow checks each field's own bounds): 365 days. */
    static final java.time.Duration MOST = java.time.Duration.ofDays(365);
    @Option(names = "--input", paramLabel = "FILE", description = "A run request file (JSON), e.g. events/inputs/full.json; flags override its fields.")
    Path input;

    @Option(names = "--name", description = "A label for the run (letters, digits, . _ -).")
    String name;

    @Option(names = "--targets", paramLabel = "KEY=VALUES", split = ";",
            description = "Nodes by tag: tag:Environment=staging, tag:Role=web,api (values OR-ed), tag-key=Owner; or by"
                    + " resource group: resource-groups:Name=web-servers (one group), narrowed with"
                    + " resource-groups:ResourceTypeFilters=AWS::EC2::Instance. Repeat: a node must match all.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--instance-ids", paramLabel = "IDS", split = ",", description = "Nodes by id: i-0123456789abcdef0,mi-... (instead of --targets).")
    List<String> instanceIds = new ArrayList<>();

    @Option(names = "--commands", paramLabel = "LINE", description = "A shell line to run (repeat for several): AWS-RunShellScript, or AWS-RunPowerShellScript on Windows fleets.")
    List<String> commands = new ArrayList<>();

    @Option(names = "--document", description = "An SSM document on the deployment's allow-list (instead of --commands).")
    String document;

    @Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "A document parameter (repeat; repeating a name makes a list).")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--document-version", paramLabel = "VERSION", description = "The document's version: $DEFAULT (default), $LATEST or a number (with --document).")
    String documentVersion;

    @Option(names = "--output-s3-bucket", paramLabel = "BUCKET", description = "Send every node's whole output to this S3 bucket (it must exist).")
    String outputS3Bucket;

    @Option(names = "--output-s3-key-prefix", paramLabel = "PREFIX", description = "The folder in --output-s3-bucket: PREFIX/COMMAND-ID/INSTANCE-ID/...")
    String outputS3KeyPrefix;

    @Option(names = "--cloudwatch-log-group", paramLabel = "GROUP", description = "Send every node's whole output to this CloudWatch Logs group (created when missing).")
    String cloudWatchLogGroup;

    @Option(names = "--max-concurrency", paramLabel = "N|N%", description = "Nodes at once: a count or a percentage of the targeted nodes (default 50).")
    String maxConcurrency;

    @Option(names = "--max-errors", paramLabel = "N|N%", description = "Errors the run may have before it breaches (default 0: the first error breaches).")
    String maxErrors;

    @Option(names = "--budget-mode", paramLabel = "leaky|strict", description = "How hard --max-errors holds: leaky"
            + " (default, SSM's meaning: nodes already running when the budget is spent still run, so up to max-errors"
            + " + concurrency can fail) or strict (at most max-errors + 1 nodes ever fail: nodes in flight are capped by"
            + " the errors left + 1).")
    String budgetMode;

    @Option(names = "--waves", paramLabel = "SIZES", description = "Wave sizes, counts or percentages: 1,25%%,100%%. Default: a canary of 1, then doubling.")
    String waves;

    @Option(names = "--bake", paramLabel = "DURATION", description = "Pause after each wave: 90s, 5m, 1h30m or seconds.")
    String bakeSeconds;

    @Option(names = "--approval-after", paramLabel = "WAVE", description = "Wait for 'fleetrun approve' after this wave, before the next (below the number of waves).")
    Integer approvalAfterWave;

    @Option(names = "--approval-timeout", paramLabel = "DURATION", description = "How long the approval gate waits: 90s, 30m, 2h, 7d or seconds (60 s to 7 d; default 7d).")
    String approvalTimeout;

    @Option(names = "--on-approval-timeout", paramLabel = "fail|reject|approve", description = "What an unanswered gate does at its timeout: the run ends FAILED (fail, the default) or REJECTED (reject), or the next wave starts (approve).")
    String onApprovalTimeout;

    @Option(names = "--alarms", paramLabel = "NAMES", split = ",", description = "CloudWatch alarms: one in ALARM between waves is a breach.")
    List<String> alarms = new ArrayList<>();

    @Option(names = "--rollback-commands", paramLabel = "LINE", description = "Shell line(s) to run on the nodes to roll back after a breach (repeat).")
    List<String> rollbackCommands = new ArrayList<>();

    @Option(names = "--rollback-scope", paramLabel = "succeeded|touched", description = "Roll back the nodes where the command succeeded (default), or every node it reached.")
    String rollbackScope;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "The longest one node's command may run: 90s, 30m,"
            + " 2h or seconds (default 600).")
    String timeoutSeconds;

    @Option(names = "--comment", description = "Free text kept with the run.")
    String comment;

    /** The run request these flags describe. */
    ObjectNode request(boolean dryRun) {
        return request(input == null ? Json.object() : readInput(input), dryRun);
    }

    /** {@code base} (a stored request: fleetrun retry) with these flags' fields on top. */
    ObjectNode request(ObjectNode base, boolean dryRun) {
        ObjectNode r = base;
        put(r, "name", name);
        if (!targets.isEmpty()) {
            ArrayNode list = r.putArray("targets");
            for (String t : targets) {
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--targets " + t + ": write KEY=VALUES, for example tag:Environment=staging");
                }
                ObjectNode target = list.addObject().put("key", t.substring(0, eq));
                ArrayNode values = target.putArray("values");
                for (String v : t.substring(eq + 1).split(",")) {
                    values.add(v.trim());
                }
            }
        }
        if (!instanceIds.isEmpty()) {
            instanceIds.forEach(r.putArray("instanceIds")::add);
        }
        if (!commands.isEmpty()) {
            commands.forEach(r.putArray("commands")::add);
        }
        if (document != null || !parameters.isEmpty() || documentVersion != null) {
            if (document == null) {
                throw new UsageException((documentVersion != null ? "--document-version" : "--parameter")
                        + " needs --document; with --commands the lines are the parameter of AWS-RunShellScript");
            }
            ObjectNode doc = r.putObject("document").put("name", document);
            put(doc, "version", documentVersion);
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (String p : parameters) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--parameter " + p + ": write NAME=VALUE");
                }
                params.computeIfAbsent(p.substring(0, eq), k -> new ArrayList<>()).add(p.substring(eq + 1));
            }
            ObjectNode pj = doc.putObject("parameters");
            params.forEach((k, v) -> v.forEach(pj.withArray(k)::add));
        }
        if (outputS3Bucket != null || outputS3KeyPrefix != null || cloudWatchLogGroup != null) {
            ObjectNode out = r.has("output") && r.get("output").isObject() ? (ObjectNode) r.get("output") : r.putObject("output");
            put(out, "s3Bucket", outputS3Bucket);
            put(out, "s3KeyPrefix", outputS3KeyPrefix);
            put(out, "cloudWatchLogGroup", cloudWatchLogGroup);
        }
        put(r, "maxConcurrency", maxConcurrency);
        put(r, "maxErrors", maxErrors);
        put(r, "budgetMode", budgetMode);
        if (waves != null) {
            ArrayNode w = r.putArray("waves");
            for (String size : waves.split(",")) {
                String s = size.trim();
                if (s.matches("\\d+")) {
                    w.add(Integer.parseInt(s));
                } else {
                    w.add(s);
                }
            }
        }
        if (bakeSeconds != null) {
            r.put("bakeSeconds", Durations.seconds(bakeSeconds, "--bake", MOST));
        }
        if (approvalAfterWave != null) {
            r.put("approvalAfterWave", approvalAfterWave);
        }
        if (approvalTimeout != null || onApprovalTimeout != null) {
            ObjectNode a = r.has("approval") && r.get("approval").isObject() ? (ObjectNode) r.get("approval") : r.putObject("approval");
            if (approvalTimeout != null) {
                a.put("timeoutSeconds", Durations.parse(approvalTimeout, "--approval-timeout", MOST).toSeconds());
            }
            if (onApprovalTimeout != null) {
                a.put("onTimeout", onApprovalTimeout);
            }
        }
        if (!alarms.isEmpty()) {
            alarms.forEach(r.putArray("alarms")::add);
        }
        if (!rollbackCommands.isEmpty() || rollbackScope != null) {
            ObjectNode rb = r.has("rollback") && r.get("rollback").isObject() ? (ObjectNode) r.get("rollback") : r.putObject("rollback");
            if (!rollbackCommands.isEmpty()) {
                rollbackCommands.forEach(rb.putArray("commands")::add);
            }
            put(rb, "scope", rollbackScope);
        }
        if (timeoutSeconds != null) {
            r.put("timeoutSeconds", Durations.seconds(timeoutSeconds, "--timeout", MOST));
        }
        put(r, "comment", comment);
        if (dryRun) {
            r.put("dryRun", true);
        }
        return r;
    }

    private static void put(ObjectNode r, String field, String value) {
        if (value != null) {
            r.put(field, value);
        }
    }

    private static ObjectNode readInput(Path file) {
        try {
            JsonNode j = Json.MAPPER.readTree(Files.readString(file));
            if (j == null || !j.isObject()) {
                throw new UsageException("--input " + file + ": the file must hold one JSON object, a run request");
            }
            return (ObjectNode) j;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new UsageException("--input " + file + ": not valid JSON: " + dev.fleetrun.aws.JsonProblems.describe(e)
                    + "; a run request is one JSON object, such as events/inputs/minimal.json");
        } catch (IOException e) {
            throw new UsageException("--input " + file + ": cannot read it: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()));
        }
    }
}
