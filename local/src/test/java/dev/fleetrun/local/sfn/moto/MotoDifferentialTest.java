package dev.fleetrun.local.sfn.moto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fleetrun.local.sfn.PlayedFunctions;
import dev.fleetrun.local.sfn.conformance.Conformance;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.SfnException;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Runs the conformance cases moto can run on both our engine and moto (through moto's server and a real SDK
 * client) and compares how each execution ends: status, output, error and cause. Every difference must be
 * listed and explained in {@code moto/known-differences.json}, and a listed difference that no longer occurs
 * fails too, so the file stays true.
 *
 * <p>Compared: the JSONPath features (Pass, Choice, Wait, Succeed, Fail, Parallel, Map, intrinsics, input and
 * output processing, the context object, errors, timeouts) and Lambda tasks whose function echoes its payload,
 * as moto's Lambda does. Not compared: JSONata and variables (moto 5.2.1 has neither), validation, tasks with
 * scripted results, and cases that would wait more than {@value #MAX_REAL_WAIT_SECONDS} s of real time on moto
 * (moto really waits; our engine runs them on a virtual clock).
 *
 * <p>Without moto (Python 3 with moto 5.2.1's server) the class is skipped; with {@code CI=true} it fails instead.
 */
class MotoDifferentialTest {

    /** The conformance features compared; jsonata, variables and validation are not. */
    static final List<String> FEATURES = List.of("pass", "choice", "wait", "succeed-fail", "parallel", "map", "intrinsics",
            "input-output", "context-object", "error-handling", "timeouts", "task");

    static final int MAX_REAL_WAIT_SECONDS = 3;

    private static final AtomicInteger MACHINES = new AtomicInteger();
    private static MotoServer moto;
    private static SfnClient sfn;
    private static MotoStepFunctions motoEngine;
    private static final KnownDifferences KNOWN = KnownDifferences.load();
    private static final AtomicInteger AGREED = new AtomicInteger();
    private static final AtomicInteger KNOWN_DIFFERENT = new AtomicInteger();
    private static final AtomicInteger NOT_COMPARED = new AtomicInteger();

    @BeforeAll
    static void startMoto() throws Exception {
        Optional<String> unavailable = MotoServer.unavailable();
        if (unavailable.isPresent()) {
            String message = "moto_server is needed for the differential run against moto (Python 3 with "
                    + "pip install 'moto[server]==5.2.1', or FLEETRUN_MOTO_PYTHON naming such an interpreter): " + unavailable.get();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            System.out.println("MotoDifferentialTest skipped: " + message + " (under CI=true this fails)");
            Assumptions.abort(message + "; skipping (under CI=true this fails)");
        }
        moto = MotoServer.start(MotoServer.logFile("moto-server.log"));
        sfn = moto.sfnClient();
        motoEngine = new MotoStepFunctions(sfn);
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (sfn != null) {
            sfn.close();
        }
        if (moto == null) {
            return;
        }
        moto.close();
        System.out.printf("MotoDifferentialTest: %d cases agree, %d differ as %s explains, %d not compared%n",
                AGREED.get(), KNOWN_DIFFERENT.get(), KnownDifferences.RESOURCE, NOT_COMPARED.get());
    }

    @TestFactory
    Stream<DynamicTest> bothEnginesEndTheSameWayOrTheDifferenceIsExplained() {
        return FEATURES.stream().flatMap(f -> DifferentialCase.load(f).stream())
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> compare(c)));
    }

    private void compare(DifferentialCase c) throws Exception {
        Optional<String> skip = KNOWN.notCompared(c.id()).or(c::whyMotoCannotRun);
        if (skip.isPresent()) {
            notCompared(skip.get());
        }

        String machineName = machineName(c.id());
        String executionName = c.executionName() == null ? "run" : c.executionName();
        OurRun ours = runOnOurEngine(c, machineName, executionName);
        if (ours.virtualSeconds() > MAX_REAL_WAIT_SECONDS) {
            notCompared("it waits " + ours.virtualSeconds() + " s, which moto spends in real time");
        }
        RunOutcome theirs = motoEngine.run(machineName, c.definition(), executionName, Json.text(c.input()),
                Duration.ofSeconds(30 + (long) ours.virtualSeconds()));

        Set<String> differing = differences(ours.outcome(), theirs);
        String report = c.id() + "\n  fleetrun: " + describe(ours.outcome()) + "\n  moto:     " + describe(theirs);
        Optional<KnownDifferences.Disagreement> known = KNOWN.disagreement(c.id());
        if (differing.isEmpty()) {
            AGREED.incrementAndGet();
            if (known.isPresent()) {
                fail("the engines now agree on " + c.id() + ": remove its entry from " + KnownDifferences.RESOURCE
                        + " and local/MOTO-DIFFERENCES.md\n" + report);
            }
            return;
        }
        if (known.isEmpty()) {
            fail("the engines disagree on " + differing + " and " + KnownDifferences.RESOURCE + " does not explain it. Decide by "
                    + "the specification which one is right: fix our engine, or record the disagreement (fields, follows, why, "
                    + "spec) there and in local/MOTO-DIFFERENCES.md.\n" + report);
        }
        KNOWN_DIFFERENT.incrementAndGet();
        assertEquals(known.get().fields(), differing, "the engines disagree on other fields than " + KnownDifferences.RESOURCE
                + " says\n" + report);
    }

    private static void notCompared(String why) {
        NOT_COMPARED.incrementAndGet();
        Assumptions.abort("not compared: " + why);
    }

    /** Our engine, on a virtual clock, with the case's played functions, driven through its control plane. */
    private static OurRun runOnOurEngine(DifferentialCase c, String machineName, String executionName) throws Exception {
        PlayedFunctions functions = new PlayedFunctions(c.functions());
        StepFunctionsEngine engine = StepFunctionsEngine.builder()
                .clock(new VirtualClock())
                .invokers(new TaskInvokers().lambda(functions))
                .region(MotoServer.REGION.id())
                .accountId("123456789012")
                .build();
        functions.attach(engine);
        StepFunctionsService service = new StepFunctionsService(engine);
        String machineArn;
        try {
            machineArn = service.createStateMachine(machineName, c.definition(), MotoStepFunctions.ROLE_ARN, "STANDARD").arn();
        } catch (SfnException e) {
            return new OurRun(new RunOutcome(RunOutcome.REFUSED, null, e.code(), e.getMessage()), 0);
        }
        Execution execution = service.startExecution(machineArn, executionName, Json.text(c.input()));
        assertTrue(execution.await(Duration.ofSeconds(10)), c.id() + ": our engine did not finish within 10 s of real time");
        RunOutcome outcome = new RunOutcome(execution.status().name(), execution.output(), execution.error(), execution.cause());
        double seconds = Duration.between(execution.startDate(), execution.stopDate()).toMillis() / 1000.0;
        return new OurRun(outcome, seconds);
    }

    private record OurRun(RunOutcome outcome, double virtualSeconds) {
    }

    private static Set<String> differences(RunOutcome a, RunOutcome b) {
        Set<String> fields = new TreeSet<>();
        if (!a.status().equals(b.status())) {
            fields.add("status");
        }
        if (!(a.output() == null && b.output() == null) && !Conformance.jsonEquals(a.output(), b.output())) {
            fields.add("output");
        }
        if (!Objects.equals(a.error(), b.error())) {
            fields.add("error");
        }
        if (!Objects.equals(a.cause(), b.cause())) {
            fields.add("cause");
        }
        return fields;
    }

    private static String describe(RunOutcome o) {
        return o.status() + (o.output() == null ? "" : " output " + Json.text(o.output()))
                + (o.error() == null ? "" : " error " + o.error()) + (o.cause() == null ? "" : " cause " + o.cause());
    }

    /** A state machine name of at most 80 characters, unique on the moto server, that says which case it runs. */
    private static String machineName(String caseId) {
        String name = "d" + MACHINES.incrementAndGet() + "-" + caseId.replaceAll("[^A-Za-z0-9_-]+", "-");
        return name.length() <= 80 ? name : name.substring(0, 80);
    }
}
