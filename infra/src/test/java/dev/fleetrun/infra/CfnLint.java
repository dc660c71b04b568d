package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * cfn-lint as the template tests and the {@code cdk synth} tier run it: on one template, for the Region the template is
 * for (so Region-specific checks, such as which resource properties a Region has, apply), with the findings that are
 * cfn-lint's own mistakes dropped, each one narrowly. Where cfn-lint is not installed the caller's test is skipped
 * with a message; under {@code CI=true} it fails instead.
 *
 * <p>Nothing is ignored on the command line: W3005, which CDK's deliberate {@code DependsOn} on a role draws, is
 * switched off in the template itself on exactly those resources ({@code CfnLintRules}), so an operator's own
 * {@code cfn-lint} is clean too. Dropped here, and only this:
 * <ul>
 *   <li>E2530 "'SnapStart' enabled functions are not supported in ['cn-...']": the rule's Region list is fixed in
 *       cfn-lint and names no China Region, while the Lambda documentation for the China Regions lists only SnapStart
 *       for Python and .NET as unavailable there (fleetrun's functions are Java).</li>
 * </ul>
 * Anything else is a finding: E2530 in a Region outside China, and every other rule.
 */
final class CfnLint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CfnLint() {
    }

    /** The cfn-lint executable; skips the calling test (fails it under {@code CI=true}) when there is none. */
    static Path requireExecutable() {
        Optional<Path> cfnLint = onPath("cfn-lint");
        if (cfnLint.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("cfn-lint is required when CI=true and is not on PATH; install it with: pip install cfn-lint");
            }
            Assumptions.abort("cfn-lint is not installed, so the templates were not linted; install it with: pip install cfn-lint");
        }
        return cfnLint.get();
    }

    /** cfn-lint's findings on {@code template} for {@code region}, one parseable line each, less the ignored ones. */
    static List<String> findings(Path template, String region) {
        List<String> command = new ArrayList<>(List.of(requireExecutable().toString(), "--format", "parseable",
                "--regions", region, "--", template.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.lines().filter(line -> !line.isBlank() && !isKnownFalsePositive(line, region)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern SNAPSTART_REGION = Pattern.compile(
            ":E2530:'SnapStart' enabled functions are not supported in \\['(cn-[a-z]+-\\d)'\\]$");

    static boolean isKnownFalsePositive(String finding, String region) {
        Matcher snapStart = SNAPSTART_REGION.matcher(finding);
        return snapStart.find() && snapStart.group(1).equals(region);
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
