package dev.fleetrun.local.sfn.bench;

import dev.fleetrun.local.sfn.definition.Definition;
import dev.fleetrun.local.sfn.definition.DefinitionParser;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.ExecutionStatus;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how many state transitions per second the engine runs: executions of a Pass/Choice loop (a counter
 * kept with States.MathAdd), with full history recording, on the wall clock. A program, not a test: it
 * prints figures and never fails a build.
 *
 * <pre>java -cp ... dev.fleetrun.local.sfn.bench.TransitionBenchmark [iterations per execution] [executions at once]</pre>
 */
public final class TransitionBenchmark {

    private static final String LOOP = """
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Parameters": {"i": 0, "limit.$": "$.limit"}, "Next": "Check"},
              "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEqualsPath": "$.limit", "Next": "Done"}], "Default": "Step"},
              "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit"}, "Next": "Check"},
              "Done": {"Type": "Succeed"}}}""";

    private TransitionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Definition definition = DefinitionParser.parse(LOOP);
        StepFunctionsEngine engine = StepFunctionsEngine.builder().build();
        String machine = "arn:aws:states:us-east-1:123456789012:stateMachine:Bench";
        run(engine, definition, machine, Math.min(iterations, 5_000), parallel, "warm-up");
        run(engine, definition, machine, iterations, parallel, "measured");
    }

    private static void run(StepFunctionsEngine engine, Definition definition, String machine, int iterations, int parallel,
                            String label) throws Exception {
        long start = System.nanoTime();
        List<Execution> runs = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            runs.add(engine.start(definition, machine, label + "-" + i + "-" + System.nanoTime(),
                    Json.parse("{\"limit\": " + iterations + "}"), "arn:aws:iam::123456789012:role/bench"));
        }
        long transitions = 0;
        for (Execution run : runs) {
            if (!run.await(Duration.ofMinutes(5)) || run.status() != ExecutionStatus.SUCCEEDED) {
                throw new IllegalStateException(run.name() + " ended " + run.status() + ": " + run.error() + " " + run.cause());
            }
            transitions += run.history().events().stream().filter(e -> e.type().name().endsWith("StateEntered")).count();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d executions, %d state transitions in %.2f s: %,.0f transitions/s%n",
                label, parallel, transitions, seconds, transitions / seconds);
    }
}
