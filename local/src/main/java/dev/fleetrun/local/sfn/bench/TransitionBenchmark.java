package dev.fleetrun.local.sfn.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.definition.Definition;
import dev.fleetrun.local.sfn.definition.DefinitionParser;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.ExecutionStatus;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.history.HistoryEvent;
import dev.fleetrun.local.sfn.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how many state transitions per second the engine runs, on the wall clock and with full history
 * recording, for two workloads:
 * <ul>
 *   <li>a Pass/Choice loop ({@link #LOOP}: a counter kept with States.MathAdd, two states per turn);</li>
 *   <li>a Map over 1,000 items ({@link #MAP}: a Choice and a Pass per item, all items at once).</li>
 * </ul>
 * A state transition is a state entered, as AWS counts them for billing; the figures count the
 * {@code *StateEntered} events of the executions' histories. A program, not a test: it prints figures and never
 * fails a build. {@code EngineVsMotoBenchmark} (test sources) sets the loop's figure beside moto's.
 *
 * <pre>java -cp ... dev.fleetrun.local.sfn.bench.TransitionBenchmark [loop turns] [loops at once] [Map executions]</pre>
 */
public final class TransitionBenchmark {

    /** A loop of {@code $.limit} turns: Init, then Check and Step each turn, then Done. */
    public static final String LOOP = """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Parameters": {"i": 0, "limit.$": "$.limit"}, "Next": "Check"},
              "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEqualsPath": "$.limit", "Next": "Done"}], "Default": "Step"},
              "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit"}, "Next": "Check"},
              "Done": {"Type": "Succeed"}}}""";

    /** A Map over {@code $.items}, no concurrency limit: each item goes through a Choice and one of two Pass states. */
    public static final String MAP = """
            {"StartAt": "Fan", "States": {
              "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "Half", "States": {
                "Half": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericLessThan": 500, "Next": "Low"}], "Default": "High"},
                "Low": {"Type": "Pass", "Result": "low", "End": true},
                "High": {"Type": "Pass", "Result": "high", "End": true}}}, "End": true}}}""";

    /** The items of one Map execution. */
    public static final int MAP_ITEMS = 1_000;

    private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:Bench";
    private static final String ROLE = "arn:aws:iam::123456789012:role/bench";

    /**
     * A measurement.
     *
     * @param workload    what ran
     * @param executions  how many executions, started at once
     * @param transitions the state transitions of all of them
     * @param seconds     the wall-clock time from the first start to the last end
     */
    public record Figure(String workload, int executions, long transitions, double seconds) {

        /** State transitions per second. */
        public double perSecond() {
            return transitions / seconds;
        }

        @Override
        public String toString() {
            return String.format("%s: %d execution(s), %,d state transitions in %.2f s: %,.0f transitions/s",
                    workload, executions, transitions, seconds, perSecond());
        }
    }

    private TransitionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int maps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        StepFunctionsEngine engine = StepFunctionsEngine.builder().build();
        warmUp(engine);
        System.out.println(loop(engine, turns, loops));
        System.out.println(map(engine, maps));
    }

    /** Runs both workloads briefly, so the figures that follow are of compiled code. */
    public static void warmUp(StepFunctionsEngine engine) throws InterruptedException {
        loop(engine, 5_000, 2);
        map(engine, 3);
    }

    /** Runs {@code executions} loops of {@code turns} turns each, at once. */
    public static Figure loop(StepFunctionsEngine engine, int turns, int executions) throws InterruptedException {
        ObjectNode input = Json.object().put("limit", turns);
        return run(engine, "Pass/Choice loop of " + String.format("%,d", turns) + " turns", DefinitionParser.parse(LOOP), input,
                executions);
    }

    /** Runs {@code executions} Maps of {@link #MAP_ITEMS} items each, at once. */
    public static Figure map(StepFunctionsEngine engine, int executions) throws InterruptedException {
        ObjectNode input = Json.object();
        ArrayNode items = input.putArray("items");
        for (int i = 0; i < MAP_ITEMS; i++) {
            items.add(i);
        }
        return run(engine, "Map of " + String.format("%,d", MAP_ITEMS) + " items", DefinitionParser.parse(MAP), input, executions);
    }

    /** The state transitions of an execution: the states it entered, iterations and branches included. */
    public static long stateTransitions(Execution execution) {
        return execution.history().events().stream().map(HistoryEvent::type).filter(t -> t.name().endsWith("StateEntered")).count();
    }

    private static Figure run(StepFunctionsEngine engine, String workload, Definition definition, ObjectNode input, int executions)
            throws InterruptedException {
        long start = System.nanoTime();
        List<Execution> runs = new ArrayList<>();
        for (int i = 0; i < executions; i++) {
            runs.add(engine.start(definition, MACHINE, "bench-" + i + "-" + System.nanoTime(), input.deepCopy(), ROLE));
        }
        for (Execution run : runs) {
            if (!run.await(Duration.ofMinutes(5)) || run.status() != ExecutionStatus.SUCCEEDED) {
                throw new IllegalStateException(run.name() + " ended " + run.status() + ": " + run.error() + " " + run.cause());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long transitions = runs.stream().mapToLong(TransitionBenchmark::stateTransitions).sum();
        return new Figure(workload, executions, transitions, seconds);
    }
}
