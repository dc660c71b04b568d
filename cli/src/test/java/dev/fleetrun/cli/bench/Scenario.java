package dev.fleetrun.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import java.util.List;

/**
 * One roll-out the benchmark measures: how many simulated nodes, which wave plan, the run's
 * concurrency and how long the command takes on each node.
 *
 * @param label          what the report calls it
 * @param nodes          simulated nodes, all targeted
 * @param waves          the request's {@code waves} (counts or percentages), or empty for the default plan
 *                       (a canary of 1, then doubling, capped by the concurrency)
 * @param concurrency    the request's {@code maxConcurrency}, a count
 * @param commandSeconds each node runs {@code sleep <commandSeconds>}
 */
record Scenario(String label, int nodes, List<String> waves, int concurrency, int commandSeconds) {

    static final String TAG_KEY = "Environment";
    static final String TAG_VALUE = "bench";

    static Scenario singleWave(int nodes, int concurrency, int commandSeconds) {
        return new Scenario("single wave", nodes, List.of("100%"), concurrency, commandSeconds);
    }

    static Scenario defaultPlan(int nodes, int concurrency, int commandSeconds) {
        return new Scenario("canary then doubling", nodes, List.of(), concurrency, commandSeconds);
    }

    /** The run request (execution input) that starts this roll-out. */
    ObjectNode request() {
        ObjectNode r = Json.object();
        r.put("name", "bench-" + nodes);
        ArrayNode targets = r.putArray("targets");
        targets.addObject().put("key", "tag:" + TAG_KEY).putArray("values").add(TAG_VALUE);
        r.putArray("commands").add("sleep " + commandSeconds);
        r.put("maxConcurrency", Integer.toString(concurrency));
        r.put("maxErrors", "0");
        if (!waves.isEmpty()) {
            ArrayNode w = r.putArray("waves");
            waves.forEach(w::add);
        }
        return r;
    }

    String describe() {
        return nodes + " nodes, " + label + (waves.isEmpty() ? "" : " " + waves) + ", concurrency " + concurrency
                + ", 'sleep " + commandSeconds + "' on each node";
    }
}
