package dev.fleetrun.local.sfn.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetrun.local.sfn.EngineHarness;
import dev.fleetrun.local.sfn.definition.DefinitionParser;
import dev.fleetrun.local.sfn.definition.InvalidDefinitionException;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.history.HistoryEvent;
import dev.fleetrun.local.sfn.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs the conformance cases of one feature: every {@code *.json} under
 * {@code src/test/resources/conformance/<feature>/}. A case file holds a definition, and either one run
 * ({@code input}, {@code functions}, {@code expect}, optionally the execution's {@code name}) or several ({@code runs}: a list of those). What
 * {@code expect} can say:
 * <ul>
 *   <li>{@code status}: SUCCEEDED, FAILED, TIMED_OUT or ABORTED; {@code output}; {@code error};
 *       {@code cause} (exact) or {@code causeContains};</li>
 *   <li>{@code invalid}: the definition is refused, with these problems ({@code code} and {@code pointer}, in any order);</li>
 *   <li>{@code events}: the exact list of history event types; {@code eventsInclude}: these types, in this order,
 *       among the events;</li>
 *   <li>{@code elapsedSeconds}: the virtual time the execution took;</li>
 *   <li>{@code calls}: how many times each played function was called; {@code payloads}: what each got, in order.</li>
 * </ul>
 * The {@code source} field of a case says where the behaviour comes from (the States Language specification,
 * the AWS developer guide).
 */
public final class Conformance {

    private Conformance() {
    }

    /** One dynamic test per run of every case of the feature. */
    public static Stream<DynamicTest> cases(String feature) {
        Path dir = directory(feature);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode spec = Json.MAPPER.readTree(file.toFile());
                String name = file.getFileName().toString().replace(".json", "");
                if (spec.has("runs")) {
                    int i = 0;
                    for (JsonNode run : spec.get("runs")) {
                        String label = name + " #" + (++i) + (run.has("description") ? ": " + run.get("description").asText() : "");
                        tests.add(DynamicTest.dynamicTest(label, () -> check(spec, run, file)));
                    }
                } else {
                    String label = name + (spec.has("description") ? ": " + spec.get("description").asText() : "");
                    tests.add(DynamicTest.dynamicTest(label, () -> check(spec, spec, file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(!tests.isEmpty(), "no conformance case under " + dir);
        return tests.stream();
    }

    private static Path directory(String feature) {
        URL url = Conformance.class.getClassLoader().getResource("conformance/" + feature);
        assertNotNull(url, "no test resource folder conformance/" + feature);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(JsonNode spec, JsonNode run, Path file) {
        String definition = Json.text(spec.get("definition"));
        JsonNode expect = run.get("expect");
        assertNotNull(expect, file + ": a case needs 'expect'");
        if (expect.has("invalid")) {
            checkInvalid(definition, expect.get("invalid"), file);
            return;
        }
        JsonNode functions = run.has("functions") ? run.get("functions") : spec.get("functions");
        EngineHarness harness = new EngineHarness(functions);
        JsonNode input = run.has("input") ? run.get("input") : JsonNodeFactory.instance.objectNode();
        Execution execution = run.has("name")
                ? EngineHarness.finish(harness.engine.start(DefinitionParser.parse(definition), EngineHarness.MACHINE_ARN,
                        run.get("name").asText(), input, EngineHarness.ROLE_ARN))
                : harness.run(definition, input);
        String where = file.getFileName() + " (history: " + types(execution) + ")";
        assertEquals(expect.path("status").asText("SUCCEEDED"), execution.status().name(),
                where + ": status; error " + execution.error() + ", cause " + execution.cause());
        if (expect.has("output")) {
            assertJsonEquals(expect.get("output"), execution.output(), where + ": output");
        }
        if (expect.has("error")) {
            assertEquals(expect.get("error").isNull() ? null : expect.get("error").asText(), execution.error(), where + ": error");
        }
        if (expect.has("cause")) {
            assertEquals(expect.get("cause").asText(), execution.cause(), where + ": cause");
        }
        if (expect.has("causeContains")) {
            assertTrue(execution.cause() != null && execution.cause().contains(expect.get("causeContains").asText()),
                    where + ": the cause '" + execution.cause() + "' should contain '" + expect.get("causeContains").asText() + "'");
        }
        if (expect.has("events")) {
            List<String> wanted = new ArrayList<>();
            expect.get("events").forEach(t -> wanted.add(t.asText()));
            assertEquals(wanted, types(execution), where + ": events");
        }
        if (expect.has("eventsInclude")) {
            Iterator<String> actual = types(execution).iterator();
            for (JsonNode type : expect.get("eventsInclude")) {
                boolean found = false;
                while (actual.hasNext()) {
                    if (actual.next().equals(type.asText())) {
                        found = true;
                        break;
                    }
                }
                assertTrue(found, where + ": expected the events to include, in order, " + expect.get("eventsInclude"));
            }
        }
        if (expect.has("elapsedSeconds")) {
            Duration elapsed = Duration.between(execution.startDate(), execution.stopDate());
            assertEquals(expect.get("elapsedSeconds").asDouble(), elapsed.toMillis() / 1000.0, 0.0005, where + ": virtual seconds taken");
        }
        if (expect.has("payloads")) {
            for (Map.Entry<String, JsonNode> entry : iterable(expect.get("payloads").properties().iterator())) {
                // In any order: Map iterations and Parallel branches call their functions concurrently.
                List<JsonNode> payloads = harness.functions.calls().stream()
                        .filter(c -> c.function().equals(entry.getKey())).map(c -> c.payload())
                        .sorted(java.util.Comparator.comparing(JsonNode::toString)).toList();
                List<JsonNode> expected = new java.util.ArrayList<>();
                entry.getValue().forEach(expected::add);
                expected.sort(java.util.Comparator.comparing(JsonNode::toString));
                assertJsonEquals(Json.MAPPER.valueToTree(expected), Json.MAPPER.valueToTree(payloads),
                        where + ": payloads of " + entry.getKey() + " (in any order)");
            }
        }
        if (expect.has("calls")) {
            for (Map.Entry<String, JsonNode> entry : iterable(expect.get("calls").properties().iterator())) {
                long count = harness.functions.calls().stream().filter(c -> c.function().equals(entry.getKey())).count();
                assertEquals(entry.getValue().asLong(), count, where + ": calls of " + entry.getKey());
            }
        }
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }

    private static void checkInvalid(String definition, JsonNode wanted, Path file) {
        try {
            DefinitionParser.parse(definition);
            fail(file.getFileName() + ": the definition should have been refused");
        } catch (InvalidDefinitionException e) {
            List<String> actual = e.problems().stream().map(p -> p.code() + " at " + p.pointer()).sorted().toList();
            List<String> expected = new ArrayList<>();
            wanted.forEach(p -> expected.add(p.get("code").asText() + " at " + p.get("pointer").asText()));
            assertEquals(expected.stream().sorted().toList(), actual, file.getFileName() + ": problems; message was " + e.getMessage());
            for (Problems.Problem problem : e.problems()) {
                assertTrue(e.getMessage().contains(problem.pointer().isEmpty() ? "/" : problem.pointer()), "the message names the pointer");
            }
        }
    }

    /** Compares JSON values, numbers by value (1 equals 1.0). */
    static void assertJsonEquals(JsonNode expected, JsonNode actual, String message) {
        if (!jsonEquals(expected, actual)) {
            assertEquals(Json.text(expected), actual == null ? "null (no output)" : Json.text(actual), message);
        }
    }

    /** Whether two JSON values are equal, numbers by value (1 equals 1.0), objects regardless of field order. */
    public static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : iterable(a.properties().iterator())) {
                if (!jsonEquals(field.getValue(), b.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static List<String> types(Execution execution) {
        return execution.history().events().stream().map(HistoryEvent::type).map(Enum::name).toList();
    }
}
