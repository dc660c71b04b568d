package dev.fleetrun.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A validated run request (execution input, version 1): what to run, on which nodes, and how carefully.
 * {@link RunRequestParser} builds it from JSON and is where the rules and defaults live; this record only holds
 * the result. Lists are never {@code null}.
 *
 * @param name              a label for the run ({@code run} by default)
 * @param targets           tag or resource-group filters, empty when {@code instanceIds} are given
 * @param instanceIds       the nodes by id, empty when {@code targets} are given
 * @param document          the document to run, {@code null} when {@code commands} are given
 * @param commands          shell lines (shorthand for AWS-RunShellScript / AWS-RunPowerShellScript), empty when {@code document} is given
 * @param maxConcurrency    how many nodes may run at the same time, over the whole run
 * @param maxErrors         how many errors the whole run allows before it stops (SSM's meaning: "0" stops at the first)
 * @param waves             explicit wave sizes, empty for the default plan (canary of 1, then doubling)
 * @param bakeSeconds       the pause after each wave before the next starts
 * @param approvalAfterWave the wave (1-based) after which a person must approve before the next, 0 for no gate
 * @param alarms            CloudWatch alarms that breach the run when one is in ALARM
 * @param rollback          what runs after a breach, {@code null} for no rollback
 * @param timeoutSeconds    the longest one node's command may run
 * @param output            where SSM writes full output, {@code null} for the API's excerpt only
 * @param comment           free text for people, {@code null} when not given
 * @param dryRun            resolve and plan, send nothing
 * @param trigger           the schedule or alarm context a trigger added, {@code null} otherwise
 * @param budgetMode        how hard {@code maxErrors} is held ({@link BudgetMode}), {@link BudgetMode#LEAKY} by default
 * @param approval          the approval gate's timeout and what happens when it runs out, never {@code null}
 */
public record RunRequest(String name, List<TargetSpec> targets, List<String> instanceIds,
                         DocumentSpec document, List<String> commands,
                         Rate maxConcurrency, Rate maxErrors, List<WaveSize> waves,
                         int bakeSeconds, int approvalAfterWave, List<String> alarms, RollbackSpec rollback,
                         int timeoutSeconds, OutputSpec output, String comment, boolean dryRun, JsonNode trigger,
                         BudgetMode budgetMode, ApprovalSpec approval) {

    /** The only request version this code reads and writes. */
    public static final int VERSION = 1;

    public RunRequest {
        targets = copy(targets);
        instanceIds = copy(instanceIds);
        commands = copy(commands);
        waves = copy(waves);
        alarms = copy(alarms);
        budgetMode = budgetMode == null ? BudgetMode.LEAKY : budgetMode;
        approval = approval == null ? ApprovalSpec.DEFAULT : approval;
    }

    /** A request with the default, {@link BudgetMode#LEAKY}, budget mode. */
    public RunRequest(String name, List<TargetSpec> targets, List<String> instanceIds,
                      DocumentSpec document, List<String> commands,
                      Rate maxConcurrency, Rate maxErrors, List<WaveSize> waves,
                      int bakeSeconds, int approvalAfterWave, List<String> alarms, RollbackSpec rollback,
                      int timeoutSeconds, OutputSpec output, String comment, boolean dryRun, JsonNode trigger) {
        this(name, targets, instanceIds, document, commands, maxConcurrency, maxErrors, waves, bakeSeconds,
                approvalAfterWave, alarms, rollback, timeoutSeconds, output, comment, dryRun, trigger, BudgetMode.LEAKY,
                ApprovalSpec.DEFAULT);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The resource group the targets name ({@code resource-groups:Name}), or {@code null} when none. */
    public String resourceGroup() {
        return targets.stream().filter(t -> t.key().equals(TargetSpec.RESOURCE_GROUP))
                .map(t -> t.values().get(0)).findFirst().orElse(null);
    }

    /**
     * The resource types the group's members are narrowed to ({@code resource-groups:ResourceTypeFilters}), or
     * every type Run Command can send to when the targets do not say.
     */
    public List<String> resourceTypes() {
        return targets.stream().filter(t -> t.key().equals(TargetSpec.RESOURCE_TYPE_FILTERS))
                .map(TargetSpec::values).findFirst().orElse(TargetSpec.NODE_RESOURCE_TYPES);
    }

    /** The targets SSM resolves by tags ({@code tag:<key>}, {@code tag-key}): all but the resource group ones. */
    public List<TargetSpec> tagTargets() {
        return targets.stream().filter(t -> !t.resourceGroupKey()).toList();
    }

    /** Whether the request gave shell {@code commands} rather than a {@code document}. */
    public boolean usesCommands() {
        return document == null;
    }

    /**
     * The request in its JSON form (version 1), with every default written out: parsing it gives this request
     * back. Useful to store a request or to show it.
     */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("version", VERSION);
        o.put("name", name);
        if (!targets.isEmpty()) {
            ArrayNode t = o.putArray("targets");
            for (TargetSpec target : targets) {
                ObjectNode entry = t.addObject().put("key", target.key());
                strings(entry.putArray("values"), target.values());
            }
        } else {
            strings(o.putArray("instanceIds"), instanceIds);
        }
        if (document != null) {
            o.set("document", documentJson(document));
        } else {
            strings(o.putArray("commands"), commands);
        }
        o.put("maxConcurrency", maxConcurrency.toString());
        o.put("maxErrors", maxErrors.toString());
        o.put("budgetMode", budgetMode.id());
        if (!waves.isEmpty()) {
            ArrayNode w = o.putArray("waves");
            waves.forEach(size -> {
                if (size.percent()) {
                    w.add(size.toString());
                } else {
                    w.add(size.value());
                }
            });
        }
        o.put("bakeSeconds", bakeSeconds);
        o.put("approvalAfterWave", approvalAfterWave);
        if (!approval.isDefault()) {
            o.set("approval", approval.toJson());
        }
        strings(o.putArray("alarms"), alarms);
        if (rollback != null) {
            ObjectNode r = o.putObject("rollback");
            if (rollback.document() != null) {
                r.set("document", documentJson(rollback.document()));
            } else {
                strings(r.putArray("commands"), rollback.commands());
            }
            r.put("scope", rollback.scope().id());
        }
        o.put("timeoutSeconds", timeoutSeconds);
        if (output != null) {
            ObjectNode out = o.putObject("output");
            putIfPresent(out, "s3Bucket", output.s3Bucket());
            putIfPresent(out, "s3KeyPrefix", output.s3KeyPrefix());
            putIfPresent(out, "cloudWatchLogGroup", output.cloudWatchLogGroup());
        }
        putIfPresent(o, "comment", comment);
        o.put("dryRun", dryRun);
        if (trigger != null) {
            o.set("trigger", trigger.deepCopy());
        }
        return o;
    }

    private static ObjectNode documentJson(DocumentSpec d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", d.name());
        o.put("version", d.version());
        ObjectNode p = o.putObject("parameters");
        for (Map.Entry<String, List<String>> e : d.parameters().entrySet()) {
            strings(p.putArray(e.getKey()), e.getValue());
        }
        return o;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void putIfPresent(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
