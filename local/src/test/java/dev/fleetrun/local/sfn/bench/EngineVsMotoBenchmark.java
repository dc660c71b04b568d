package dev.fleetrun.local.sfn.bench;

import dev.fleetrun.local.sfn.bench.TransitionBenchmark.Figure;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.moto.MotoServer;
import dev.fleetrun.local.sfn.moto.MotoStepFunctions;
import dev.fleetrun.local.sfn.moto.RunOutcome;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Prints state transitions per second of our engine beside moto's, and their ratio: the Pass/Choice loop of
 * {@link TransitionBenchmark} on both (moto's through the AWS SDK against its server, started here), and the Map
 * of 1,000 items on our engine. Without moto it prints our figures and says why moto's are missing. A program,
 * not a test; it lives in the test sources because it needs the SDK and {@link MotoServer}.
 *
 * <pre>./dev mvn -q -pl local test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.fleetrun.local.sfn.bench.EngineVsMotoBenchmark [-Dexec.args="loopTurns mapExecutions motoTurns"]</pre>
 */
public final class EngineVsMotoBenchmark {

    private EngineVsMotoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int loopTurns = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int mapExecutions = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int motoTurns = args.length > 2 ? Integer.parseInt(args[2]) : 100;

        StepFunctionsEngine engine = StepFunctionsEngine.builder().build();
        TransitionBenchmark.warmUp(engine);
        Figure ourLoop = TransitionBenchmark.loop(engine, loopTurns, 1);
        Figure ourMap = TransitionBenchmark.map(engine, mapExecutions);
        System.out.println("fleetrun: " + ourLoop);
        System.out.println("fleetrun: " + ourMap);

        Optional<String> unavailable = MotoServer.unavailable();
        Figure motoLoop = null;
        if (unavailable.isPresent()) {
            System.out.println("moto: not measured, " + unavailable.get());
        } else {
            motoLoop = motoLoop(motoTurns);
            System.out.println("moto:     " + motoLoop);
        }

        System.out.println();
        System.out.printf("%-34s %18s %18s %10s%n", "state transitions per second", "fleetrun", "moto 5.2.1", "ratio");
        System.out.printf("%-34s %18s %18s %10s%n", "Pass/Choice loop", rate(ourLoop), motoLoop == null ? "n/a" : rate(motoLoop),
                motoLoop == null ? "n/a" : String.format("%,.0fx", ourLoop.perSecond() / motoLoop.perSecond()));
        System.out.printf("%-34s %18s %18s %10s%n", "Map of " + String.format("%,d", TransitionBenchmark.MAP_ITEMS) + " items",
                rate(ourMap), "not run", "");
        System.out.printf("%ngoals: >= 20,000 transitions/s on our engine: loop %s, Map %s; >= 20x moto: %s%n",
                met(ourLoop.perSecond() >= 20_000), met(ourMap.perSecond() >= 20_000),
                motoLoop == null ? "not measured" : met(ourLoop.perSecond() >= 20 * motoLoop.perSecond()));
    }

    /** The loop on moto's server: one execution of {@code turns} turns, after a short one that loads moto's code. */
    private static Figure motoLoop(int turns) throws Exception {
        try (MotoServer moto = MotoServer.start(MotoServer.logFile("moto-bench.log"));
             SfnClient sfn = moto.sfnClient()) {
            MotoStepFunctions client = new MotoStepFunctions(sfn);
            String machine = client.createStateMachine("bench-loop", TransitionBenchmark.LOOP);
            client.await(client.start(machine, "warm-up", "{\"limit\": 2}"), Duration.ofMinutes(1));
            long start = System.nanoTime();
            String execution = client.start(machine, "measured", "{\"limit\": " + turns + "}");
            RunOutcome outcome = client.await(execution, Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!outcome.status().equals("SUCCEEDED")) {
                throw new IllegalStateException("moto's loop ended " + outcome);
            }
            return new Figure("Pass/Choice loop of " + String.format("%,d", turns) + " turns", 1, client.stateTransitions(execution),
                    seconds);
        }
    }

    private static String rate(Figure figure) {
        return String.format("%,.0f/s", figure.perSecond());
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }
}
