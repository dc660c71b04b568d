package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.cli.embedded.CliFleet;
import dev.fleetrun.local.ssm.Fleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Every file of {@code events/inputs/}, started as it is, as the console's "Start execution" or
 * {@code aws stepfunctions start-execution --input file://events/inputs/...} starts it, on the fleet the quick start
 * gives ({@code ./fleetrun run} and {@code ./fleetrun serve} without fleet flags: 20 Linux nodes tagged
 * {@code Environment=staging}, {@code Role=web}), ends as README.md's table of samples says: the run status, or the
 * plan of a dry run, or the workflow's error with the fields its cause names. The samples share the fleet, so they run
 * one after the other, each to its end.
 */
class ExampleInputsWorkflowTest {
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "../"));
    private static final Path INPUTS = ROOT.resolve("events/inputs");

    /** A row of README.md's samples table: {@code | `file.json` | `ending` rest |}. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+\\.json)` \\| `([^`]+)`(.*)\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** After an error: "on `field`, `field` and `field`", up to a colon or the end of the cell. */
    private static final Pattern ON_FIELDS = Pattern.compile("^\\s+on (.*?)(:|$)");

    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(Fleet.generate(CliFleet.DEFAULT_NODES, CliFleet.DEFAULT_TAGS), Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** What README.md says a sample ends with, and (for an error) the fields the cause must name. */
    record Ending(String file, String ending, List<String> fields) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Ending> readmeEndings() {
        Map<String, Ending> endings = new LinkedHashMap<>();
        for (String line : read(ROOT.resolve("README.md")).lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                List<String> fields = new ArrayList<>();
                Matcher on = ON_FIELDS.matcher(row.group(3));
                if (on.find()) {
                    Matcher code = CODE.matcher(on.group(1));
                    while (code.find()) {
                        fields.add(code.group(1));
                    }
                }
                endings.put(row.group(1), new Ending(row.group(1), row.group(2), fields));
            }
        }
        return endings.values().stream();
    }

    @Test
    void theReadmeSaysHowEverySampleEnds() throws IOException {
        try (Stream<Path> files = Files.list(INPUTS)) {
            TreeSet<String> samples = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> described = readmeEndings().map(Ending::file).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(samples, described);
        }
    }

    @Test
    void everyErrorTheReadmeGivesNamesTheFieldsOfItsCause() {
        List<String> unnamed = readmeEndings().filter(e -> e.ending().equals("Fleetrun.InvalidInput") && e.fields().isEmpty())
                .map(Ending::file).toList();
        assertEquals(List.of(), unnamed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readmeEndings")
    void eachSampleEndsAsTheReadmeSays(Ending expected) {
        DescribeExecutionResponse exec = runToTheEnd(expected.file());
        assertEquals(expected.ending(), ending(exec), expected.file() + ": " + exec.error() + " " + exec.cause() + " " + exec.output());
        for (String field : expected.fields()) {
            assertTrue(exec.cause().contains(field), expected.file() + ": the cause names " + field + ": " + exec.cause());
        }
    }

    @Test
    void theMinimalSampleRunsUptimeOnTheTwentyWebNodesInDoublingWaves() {
        JsonNode summary = Json.parse(runToTheEnd("minimal.json").output());
        assertEquals(List.of(20, List.of(1, 2, 4, 8, 5)), List.of(summary.path("totals").path("succeeded").asInt(), waveSizes(summary)),
                summary.toString());
    }

    @Test
    void theExplicitWavesSampleRunsInTheWavesItNames() {
        JsonNode summary = Json.parse(runToTheEnd("explicit-waves.json").output());
        assertEquals(List.of(20, List.of(1, 5, 14)), List.of(summary.path("totals").path("succeeded").asInt(), waveSizes(summary)),
                summary.toString());
    }

    @Test
    void theRollbackSampleBreachesAtTheCanaryAndSendsNothingFurther() {
        DescribeExecutionResponse exec = runToTheEnd("rollback.json");
        assertEquals(null, exec.output(), "a failed execution has no output: the summary is in the run record");
        assertEquals("1 of 20 nodes failed (budget 0): rolled back on 0, 19 not run", exec.cause());
        JsonNode summary = Json.parse(h.store.getRun(exec.name()).orElseThrow().summaryJson());
        assertEquals(List.of(20, 1, 0, 0, 19), List.of(summary.path("totals").path("targeted").asInt(),
                summary.path("totals").path("failed").asInt(), summary.path("totals").path("succeeded").asInt(),
                summary.path("rollback").path("nodes").asInt(), summary.path("totals").path("notRun").asInt()), summary.toString());
        assertEquals("ROLLED_BACK", summary.path("status").asText());
    }

    @Test
    void theDryRunSamplePlansTheTwentyWebNodesAndSendsNothing() {
        int commandsBefore = h.commands().size();
        JsonNode plan = Json.parse(runToTheEnd("dry-run.json").output());
        assertEquals(List.of(20, commandsBefore), List.of(plan.path("targeted").asInt(), h.commands().size()), plan.toString());
    }

    /** How an execution ended, in the words of README.md's table. */
    private static String ending(DescribeExecutionResponse exec) {
        if (exec.status() != ExecutionStatus.SUCCEEDED) {
            return exec.error();
        }
        JsonNode output = Json.parse(exec.output());
        return output.path("dryRun").asBoolean(false) ? "plan" : output.path("status").asText();
    }

    private static List<Integer> waveSizes(JsonNode summary) {
        List<Integer> sizes = new ArrayList<>();
        summary.path("waves").forEach(w -> sizes.add(w.path("size").asInt()));
        return sizes;
    }

    private static int started;

    /** Starts the sample as an execution of its own and waits for it to end (a run also to release its leases). */
    private static DescribeExecutionResponse runToTheEnd(String file) {
        String name = "sample-" + file.replace(".json", "") + "-" + (++started);
        h.sfn.startExecution(b -> b.stateMachineArn(h.runtime.stateMachineArn()).name(name).input(read(INPUTS.resolve(file))));
        DescribeExecutionResponse exec = h.awaitExecutionEnd(name);
        h.store.getRun(name).ifPresent(r -> h.awaitFinished(name));
        WorkflowHarness.await("the leases of " + name + " to be released", () -> h.store.leaseHolder(Fleet.instanceId(1))
                .map(l -> !l.runId().equals(name)).orElse(true));
        return exec;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
