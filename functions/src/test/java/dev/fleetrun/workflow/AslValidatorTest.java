package dev.fleetrun.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.testing.RepoFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints every definition with asl-validator, the npm tool pinned in {@code tools/package.json}
 * (it knows the Amazon States Language schema, JSONPath syntax and intrinsic functions, which our
 * own structural checks do not). {@code ./dev test} installs it with {@code npm ci}. Without node
 * or the tool the tests are skipped, except on CI ({@code CI=true}), where they fail.
 */
class AslValidatorTest {

    /** Exit codes of asl-validator: 0 valid, 1 invalid, 2 the tool itself failed. */
    private static final int VALID = 0;
    private static final int INVALID = 1;

    record Run(int exitCode, String output) {
    }

    static Stream<String> definitions() {
        return StateMachineDefinitionTest.definitions();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void aslValidatorAcceptsTheDefinition(String fileName) throws Exception {
        Run run = validate(RepoFiles.stateMachinesDir().resolve(fileName));

        assertEquals(VALID, run.exitCode(), () -> "asl-validator rejects statemachines/" + fileName + ":\n" + run.output());
    }

    /** Proves the lint really runs: a definition with a dangling Next must be rejected. */
    @Test
    void aslValidatorRejectsADefinitionWithADanglingNext(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.asl.json");
        Files.writeString(broken, """
                {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "Next": "Nowhere"}}}
                """);

        Run run = validate(broken);

        assertEquals(INVALID, run.exitCode(), () -> "asl-validator accepted a dangling Next:\n" + run.output());
        assertTrue(run.output().contains("Nowhere"), () -> "the report should name the missing state:\n" + run.output());
    }

    private static Run validate(Path definition) throws IOException, InterruptedException {
        Path node = findNode().orElseGet(() -> unavailable("node is not on the PATH"));
        Path validator = findValidator().orElseGet(() -> unavailable(
                "asl-validator is not installed under tools/node_modules"));

        Process process = new ProcessBuilder(node.toString(), validator.toString(), "--json-path", definition.toString())
                .directory(RepoFiles.root().toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("asl-validator did not finish on " + definition + ":\n" + output);
        }
        return new Run(process.exitValue(), output);
    }

    /** The validator's script, as its own package.json names it ("bin"). */
    private static Optional<Path> findValidator() {
        Path packageDir = RepoFiles.root().resolve("tools/node_modules/asl-validator");
        Path packageJson = packageDir.resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            return Optional.empty();
        }
        JsonNode bin = RepoFiles.readJson(packageJson).path("bin");
        String script = bin.isTextual() ? bin.asText() : bin.path("asl-validator").asText("");
        Path path = packageDir.resolve(script).normalize();
        return script.isEmpty() || !Files.isRegularFile(path) ? Optional.empty() : Optional.of(path);
    }

    private static Optional<Path> findNode() {
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            for (String name : List.of("node", "node.exe")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Skips the test, or fails it on CI, where the lint is required. */
    private static <T> T unavailable(String what) {
        String message = what + ", so the state machine definitions cannot be linted."
                + " Run ./dev test (it runs npm ci in tools/), or: (cd tools && npm ci).";
        if ("true".equals(System.getenv("CI"))) {
            return fail(message + " CI=true requires the lint.");
        }
        return Assumptions.abort(message);
    }
}
