package dev.fleetrun.cli.bench;

import static dev.fleetrun.cli.bench.RolloutBenchmark.seconds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's printed figures: one block per scenario, then the goals over all of them. */
final class Report {
    private static final double MIB = 1024 * 1024;

    private Report() {
    }

    static List<String> scenario(RolloutBenchmark.Result r) {
        List<String> out = new ArrayList<>();
        int waveCount = r.waves().size();
        out.add("== " + r.scenario().describe());
        out.add(String.format("  outcome              %s, %s", r.status(), totals(r.output())));
        out.add(String.format("  wall time            %.2f s; plan's ideal %.2f s over %d wave(s); goal <= %.2f s: %s",
                seconds(r.wall()), seconds(r.ideal()), waveCount, seconds(r.wallGoal()),
                r.wall().compareTo(r.wallGoal()) <= 0 ? "met" : "NOT met"));
        Duration overhead = r.wall().minus(r.ideal());
        out.add(String.format("  overhead             %.2f s in all, %.3f s per wave (wall - ideal)", seconds(overhead),
                waveCount == 0 ? Double.NaN : seconds(overhead) / waveCount));
        out.add("  per wave (s)         wave  nodes  ideal   span  overhead | before send  send>start  scripts  end>resume");
        for (WaveTimeline.Wave w : r.waves()) {
            out.add(String.format("                       %4d %6d %6.2f %6.2f %9.3f | %11.3f %11.3f %8.3f %11.3f",
                    w.wave(), w.size(), seconds(w.ideal()), seconds(w.span()), seconds(w.overhead()),
                    between(w.spanStart(), w.firstSend()), between(w.firstSend(), w.firstStart()),
                    between(w.firstStart(), w.lastEnd()), between(w.lastEnd(), w.resumed())));
        }
        Instant lastResume = r.waves().isEmpty() ? null : r.waves().get(r.waves().size() - 1).resumed();
        out.add(String.format("  tail                 %.3f s from the last wave's resume to the execution's end",
                between(lastResume, r.end())));
        RolloutBenchmark.History h = r.history();
        out.add(String.format("  state transitions    %d (states entered; %d history events; Reconcile %d time(s))",
                h.transitions(), h.events(), h.reconciles()));
        out.add("                       " + h.entered().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        out.add("  time in Task states  " + h.taskTime().entrySet().stream()
                .map(e -> String.format("%s %.3f s (%d)", e.getKey(), seconds(e.getValue()), h.entered().get(e.getKey())))
                .collect(Collectors.joining(", ")) + "   (SendWave: its own work, not the wait)");
        out.add(String.format("  Lambda invocations   %d: %s", r.lambdaInvocations(), r.lambdas().entrySet().stream()
                .filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        if (!r.lambdaErrors().isEmpty()) {
            out.add("                       failed attempts: " + r.lambdaErrors().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        EndpointCalls.Figures d = r.dynamo();
        out.add(String.format("  DynamoDB writes      %d items in %d calls (%.1f items per node); %d refused; %d reads",
                d.itemsWritten(), d.writeCalls(), d.itemsWritten() / (double) r.scenario().nodes(), d.refusedWrites(),
                d.reads()));
        out.add("                       calls: " + d.calls().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        if (!d.refused().isEmpty()) {
            out.add("                       refused: " + d.refused().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        out.add("  other API calls      " + d.otherServices().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        out.add("  call time (ms)       mean / p90 / max at the endpoint, the 8 most called: " + d.latency().entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().count(), a.getValue().count())).limit(8)
                .map(e -> String.format("%s %.1f/%.1f/%.0f", e.getKey(), e.getValue().meanMillis(),
                        e.getValue().p90Millis(), e.getValue().maxMillis()))
                .collect(Collectors.joining(", ")));
        out.add(String.format("  CPU                  %.1f s in this JVM (%.1f s of it in the kernel; %.2f of the %d cores over the"
                        + " wall time), %.1f s in the nodes' scripts", r.cpu().selfSeconds(), r.cpu().selfSystemSeconds(),
                r.cpu().selfSeconds() / seconds(r.wall()), Runtime.getRuntime().availableProcessors(),
                r.cpu().childrenSeconds()));
        HeapSampler.Figures heap = r.heap();
        out.add(String.format("  peak heap            %.0f MiB sampled every 10 ms (heap pools' peaks add up to %.0f MiB);"
                + " max heap %.0f MiB; GC %.2f s", heap.sampledPeak() / MIB, heap.poolPeakSum() / MIB,
                heap.maxHeap() / MIB, heap.gcMillis() / 1000.0));
        return out;
    }

    static List<String> summary(List<RolloutBenchmark.Result> results, long heapGoal) {
        List<String> out = new ArrayList<>();
        out.add("== goals");
        out.add("  nodes  plan                   waves   wall  ideal   goal  wall ok  transitions  per wave  lambdas"
                + "  ddb items  peak heap");
        for (RolloutBenchmark.Result r : results) {
            int waves = r.waves().size();
            out.add(String.format("  %5d  %-21s %6d %6.2f %6.2f %6.2f  %-7s %11d %9.1f %8d %10d %6.0f MiB",
                    r.scenario().nodes(), r.scenario().label(), waves, seconds(r.wall()), seconds(r.ideal()),
                    seconds(r.wallGoal()), r.wall().compareTo(r.wallGoal()) <= 0 ? "yes" : "NO",
                    r.history().transitions(), r.history().transitions() / (double) Math.max(1, waves),
                    r.lambdaInvocations(), r.dynamo().itemsWritten(), r.heap().sampledPeak() / MIB));
        }
        out.add("  wall time <= 1.1 x ideal + 0.5 s per wave: "
                + (results.stream().allMatch(r -> r.wall().compareTo(r.wallGoal()) <= 0) ? "met" : "NOT met")
                + " in " + results.stream().filter(r -> r.wall().compareTo(r.wallGoal()) <= 0).count() + " of " + results.size());
        out.add("  state transitions independent of the node count: " + transitionsVerdict(results));
        long peak = results.stream().mapToLong(r -> r.heap().sampledPeak()).max().orElse(0);
        out.add(String.format("  peak heap under %d MiB: %s (largest %.0f MiB)", heapGoal / (1024 * 1024),
                peak < heapGoal ? "met" : "NOT met", peak / MIB));
        return out;
    }

    /**
     * Runs with the same number of waves must have the same transitions whatever their node count (a
     * single wave of 100 nodes and one of 1,000); and across different wave counts, the same transitions per
     * wave beyond a fixed part: transitions = fixed + per-wave x waves.
     */
    private static String transitionsVerdict(List<RolloutBenchmark.Result> results) {
        Map<Integer, Map<Integer, Integer>> byWaves = new LinkedHashMap<>(); // waves -> nodes -> transitions
        for (RolloutBenchmark.Result r : results) {
            byWaves.computeIfAbsent(r.waves().size(), w -> new LinkedHashMap<>())
                    .put(r.scenario().nodes(), r.history().transitions());
        }
        List<String> checks = new ArrayList<>();
        boolean ok = true;
        for (var e : byWaves.entrySet()) {
            if (e.getValue().size() > 1) {
                boolean same = e.getValue().values().stream().distinct().count() == 1;
                ok &= same;
                checks.add(e.getKey() + " wave(s): " + e.getValue().entrySet().stream()
                        .map(n -> n.getKey() + " nodes " + n.getValue()).collect(Collectors.joining(", "))
                        + (same ? " (same)" : " (DIFFERENT)"));
            }
        }
        List<Integer> waveCounts = new ArrayList<>(byWaves.keySet());
        if (waveCounts.size() >= 2) {
            int w1 = waveCounts.get(0);
            int t1 = byWaves.get(w1).values().iterator().next();
            Integer perWave = null;
            for (int w2 : waveCounts.subList(1, waveCounts.size())) {
                int t2 = byWaves.get(w2).values().iterator().next();
                if ((t2 - t1) % (w2 - w1) != 0 || (perWave != null && perWave != (t2 - t1) / (w2 - w1))) {
                    ok = false;
                    checks.add("transitions do not grow by a fixed number per wave");
                    break;
                }
                perWave = (t2 - t1) / (w2 - w1);
            }
            if (perWave != null && ok) {
                checks.add("transitions = " + (t1 - perWave * w1) + " + " + perWave + " per wave");
            }
        }
        if (checks.isEmpty()) {
            return "not checked (run at least two node counts)";
        }
        return (ok ? "met" : "NOT met") + "; " + String.join("; ", checks);
    }

    private static String totals(JsonNode output) {
        JsonNode t = output.path("totals");
        if (t.isMissingNode()) {
            return "no totals";
        }
        List<String> parts = new ArrayList<>();
        t.properties().forEach(e -> {
            if (e.getValue().asInt() > 0) {
                parts.add(e.getValue().asInt() + " " + e.getKey());
            }
        });
        return String.join(", ", parts);
    }

    private static double between(Instant a, Instant b) {
        return a == null || b == null ? Double.NaN : seconds(Duration.between(a, b));
    }
}
