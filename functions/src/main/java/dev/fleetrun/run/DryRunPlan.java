package dev.fleetrun.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.BudgetMode;
import dev.fleetrun.domain.ErrorBudget;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.domain.SkippedNode;
import dev.fleetrun.domain.TargetResolution;
import dev.fleetrun.domain.Wave;
import dev.fleetrun.domain.WavePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan a dry run returns as its execution output, which Step Functions caps at 256 KiB whatever the fleet:
 * the waves' sizes always, their node ids up to {@value #IDS_SHOWN} targeted nodes, and the skipped nodes grouped
 * by reason (how many, and a few of their ids), never one entry per node.
 *
 * <pre>{@code
 * "skipped": [{"reason": "ping status ConnectionLost: ...", "count": 3000, "examples": ["i-...", ...]}],
 * "skippedCount": 3000
 * }</pre>
 *
 * Bounds: at most 500 waves (PlanChecks refuses more), 2,000 ids of about 20 characters, {@value #REASONS_SHOWN}
 * reasons (a handful in practice: offline, wrong platform, not a managed node) with {@value #EXAMPLES_PER_REASON}
 * ids each: well under 128 KiB.
 */
final class DryRunPlan {
    /** Wave node ids are listed only up to this many targeted nodes. */
    static final int IDS_SHOWN = 2_000;
    /** Ids listed for each skip reason. */
    static final int EXAMPLES_PER_REASON = 10;
    /** Skip reasons listed, the most frequent first; the rest are counted in {@code skippedCount} only. */
    static final int REASONS_SHOWN = 20;

    private DryRunPlan() {
    }

    static ObjectNode of(String runId, RunRequest request, TargetResolution resolution, WavePlan plan, ErrorBudget budget) {
        boolean showIds = plan.targeted() <= IDS_SHOWN;
        ObjectNode p = Json.object();
        p.put("runId", runId).put("status", "PLANNED").put("dryRun", true);
        p.put("document", resolution.document().name());
        p.put("targeted", plan.targeted()).put("concurrency", plan.concurrency());
        p.put("maxErrors", request.maxErrors().toString()).put("errorAllowance", budget.allowance());
        BudgetMode mode = request.budgetMode();
        p.put("budgetMode", mode.id());
        p.set("budget", budget(mode, budget, plan));
        ArrayNode waves = p.putArray("waves");
        for (Wave w : plan.waves()) {
            ObjectNode wj = waves.addObject().put("wave", w.number()).put("size", w.instanceIds().size())
                    .put("concurrency", w.concurrency());
            if (mode == BudgetMode.STRICT) {
                // In flight at most: with the whole budget left, and with none left (one node at a time).
                wj.put("inFlightAtMost", Math.min(w.concurrency(), budget.inFlightCap(0)))
                        .put("inFlightWithNoBudgetLeft", 1)
                        .put("roundsAtLeast", (w.size() + budget.inFlightCap(0) - 1) / budget.inFlightCap(0));
            }
            if (showIds) {
                w.instanceIds().forEach(wj.putArray("instanceIds")::add);
            }
        }
        List<Map.Entry<String, List<String>>> reasons = byReason(resolution.skipped());
        ArrayNode skipped = p.putArray("skipped");
        for (Map.Entry<String, List<String>> r : reasons.subList(0, Math.min(REASONS_SHOWN, reasons.size()))) {
            ObjectNode entry = skipped.addObject().put("reason", r.getKey()).put("count", r.getValue().size());
            r.getValue().stream().limit(EXAMPLES_PER_REASON).forEach(entry.putArray("examples")::add);
        }
        p.put("skippedCount", resolution.skipped().size());
        List<String> notes = new ArrayList<>();
        if (!showIds) {
            notes.add("node ids are left out of plans over " + IDS_SHOWN + " targeted nodes; waves give the sizes");
        }
        if (reasons.size() > REASONS_SHOWN) {
            notes.add((reasons.size() - REASONS_SHOWN) + " rarer skip reasons are left out; skippedCount counts every"
                    + " skipped node");
        }
        if (!notes.isEmpty()) {
            p.put("note", String.join("; ", notes));
        }
        return p;
    }

    /**
     * What the budget mode does: {@code mode}, {@code breachAt} (the error that breaches), {@code mostFailures} (at
     * worst, over the run) and {@code summary}, one line in words that the CLI prints.
     */
    static ObjectNode budget(BudgetMode mode, ErrorBudget budget, WavePlan plan) {
        int concurrency = plan.waves().stream().mapToInt(Wave::concurrency).max().orElse(plan.concurrency());
        int most = budget.mostFailures(mode, concurrency);
        int cap = budget.inFlightCap(0);
        ObjectNode b = Json.object().put("mode", mode.id()).put("allowance", budget.allowance())
                .put("breachAt", budget.allowance() + 1).put("mostFailures", most);
        String summary;
        if (mode == BudgetMode.STRICT) {
            b.put("inFlightAtMost", Math.min(concurrency, cap)).put("inFlightWithNoBudgetLeft", 1);
            summary = "strict: at most " + most + " node(s) can fail. Each wave goes out in rounds of at most the errors"
                    + " left + 1 nodes, the next round once the last is done: at most " + Math.min(concurrency, cap)
                    + " node(s) in flight while the whole budget (" + budget.allowance() + ") is left, at most 1 while"
                    + " the budget left is 0";
        } else {
            summary = "leaky (SSM's meaning): nodes already in flight when the budget is spent still run, so up to "
                    + most + " node(s) can fail (the allowance " + budget.allowance() + " + up to " + concurrency
                    + " in flight); --budget-mode strict holds it to " + budget.mostFailures(BudgetMode.STRICT, concurrency);
        }
        return b.put("summary", summary);
    }

    /** Skipped node ids by reason, the most frequent reason first (then in order of first appearance). */
    private static List<Map.Entry<String, List<String>>> byReason(List<SkippedNode> skipped) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (SkippedNode s : skipped) {
            byReason.computeIfAbsent(s.reason(), r -> new ArrayList<>()).add(s.instanceId());
        }
        List<Map.Entry<String, List<String>>> entries = new ArrayList<>(byReason.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, List<String>> e) -> e.getValue().size()).reversed());
        return entries;
    }
}
