package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The synth tier: the real CDK CLI, the one {@code infra/package-lock.json} pins, runs {@code npx cdk synth} in
 * {@code infra/} exactly as {@code infra/README.md} tells operators to (each command below is in the README, word for
 * word), so the app runs through {@code cdk.json}'s own command (Maven builds the functions' jar, then synthesizes,
 * with cdk-nag) in the environments the CLI really gives it: its default Region with no AWS settings at all, a Region
 * and account, another partition (cn-north-1), and every setting the README documents. Each template must then pass
 * cfn-lint for its Region ({@link CfnLint}).
 *
 * <p>The CLI runs with no AWS settings of the machine (every {@code AWS_*} and {@code CDK_*} variable removed, the
 * config and credentials files pointed at nothing), no instance-metadata lookup, no telemetry and no notices, and
 * writes each cloud assembly to {@code infra/target/cdk-cli/<name>/} instead of {@code infra/cdk.out}. Each command
 * is run once per test JVM (a run is Maven, a JVM and jsii: 15-25 s on 2 cores). Where Node or the pinned CLI is
 * missing the tier is skipped with a line saying so; under {@code CI=true} it fails instead.
 */
class CdkCliSynthTest {

    /** A command an operator types in {@code infra/}, and where its stack must land. */
    record Operator(String name, String command, String region, String account) {
        @Override
        public String toString() {
            return name;
        }

        /** The leading {@code NAME=value} words. */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String word : words()) {
                if (!word.matches("[A-Z_]+=.*")) {
                    break;
                }
                env.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
            }
            return env;
        }

        /** What follows {@code npx cdk}. */
        List<String> cdkArguments() {
            List<String> words = words();
            int cdk = words.indexOf("cdk");
            if (cdk < 1 || !words.get(cdk - 1).equals("npx")) {
                throw new IllegalStateException("not an npx cdk command: " + command);
            }
            return words.subList(cdk + 1, words.size());
        }

        /** The {@code -c key=value} settings. */
        Map<String, String> context() {
            Map<String, String> context = new LinkedHashMap<>();
            List<String> args = cdkArguments();
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equals("-c")) {
                    String setting = args.get(i + 1);
                    context.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
                }
            }
            return context;
        }

        String stackName() {
            return context().getOrDefault(FleetrunSettings.Keys.STACK_NAME, "Fleetrun");
        }

        private List<String> words() {
            return Arrays.asList(command.trim().split("\\s+"));
        }
    }

    static final String ACCOUNT = "123456789012";

    /** The synth commands of infra/README.md. The CLI's own default Region is us-east-1. */
    static final List<Operator> OPERATORS = List.of(
            new Operator("no-aws-settings", "npx cdk synth", "us-east-1", null),
            new Operator("eu-west-1", "AWS_REGION=eu-west-1 CDK_DEFAULT_ACCOUNT=" + ACCOUNT + " npx cdk synth",
                    "eu-west-1", ACCOUNT),
            new Operator("cn-north-1", "AWS_REGION=cn-north-1 CDK_DEFAULT_ACCOUNT=" + ACCOUNT + " npx cdk synth",
                    "cn-north-1", ACCOUNT),
            new Operator("every-setting", "AWS_REGION=eu-west-1 CDK_DEFAULT_ACCOUNT=" + ACCOUNT + " npx cdk synth"
                    + " -c stackName=FleetrunOps -c allowedDocuments=AWS-RunShellScript,MyOrg-RestartService"
                    + " -c instanceTag=fleetrun:managed=true -c alertEmail=ops@example.com -c retentionDays=30"
                    + " -c countUnreachableAsErrors=false -c leaseSeconds=43200 -c heartbeatSeconds=120"
                    + " -c deliveryTimeoutSeconds=900 -c logRetentionDays=90 -c outputRetentionDays=30"
                    + " -c reconcileAlarmThreshold=10 -c jobsFile=examples/jobs.json"
                    + " -c functionsJar=../functions/target/fleetrun-functions-0.1.0-SNAPSHOT-lambda.jar",
                    "eu-west-1", ACCOUNT));

    static Stream<Operator> operators() {
        return OPERATORS.stream();
    }

    private static final Path INFRA = Synthesized.ROOT.resolve("infra");
    private static final Path OUT = Synthesized.TARGET.resolve("cdk-cli");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 600;

    /** One finished {@code cdk synth}: its exit code, what it printed, and the cloud assembly it wrote. */
    record Run(Operator operator, int exitCode, String log, Path assembly) {

        Path template() {
            return assembly.resolve(operator.stackName() + ".template.json");
        }

        JsonNode manifest() {
            return read(assembly.resolve("manifest.json"));
        }

        /** The construct metadata of the stack: what cdk-nag and CDK reported on each construct. */
        JsonNode metadata() {
            return read(assembly.resolve(operator.stackName() + ".metadata.json"));
        }

        private static JsonNode read(Path file) {
            try {
                return JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The last lines it printed, for failure messages. */
        String tail() {
            List<String> lines = log.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    private static final Map<String, Run> RUNS = new HashMap<>();

    /** Runs the operator's command once per JVM; the test that asks first waits for it. */
    static synchronized Run run(Operator operator) {
        Run done = RUNS.get(operator.name());
        if (done != null) {
            return done;
        }
        Path cdk = requireCli();
        Path assembly = OUT.resolve(operator.name());
        try {
            deleteRecursively(assembly);
            Files.createDirectories(assembly);
            List<String> command = new ArrayList<>();
            command.add(cdk.toString());
            command.addAll(operator.cdkArguments());
            command.addAll(List.of("--output", assembly.toString(), "--no-notices"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(INFRA.toFile()).redirectErrorStream(true)
                    .redirectOutput(assembly.resolveSibling(operator.name() + ".log").toFile());
            withoutAwsSettings(builder.environment());
            builder.environment().putAll(operator.environment());
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("'" + operator.command() + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String log = Files.readString(assembly.resolveSibling(operator.name() + ".log"));
            System.out.printf("cdk synth %s: exit %d in %d ms (%s)%n", operator.name(), process.exitValue(),
                    (System.nanoTime() - start) / 1_000_000, operator.command());
            Run run = new Run(operator, process.exitValue(), log, assembly);
            RUNS.put(operator.name(), run);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A machine with no AWS settings: none of this one's (profiles, credentials, Region, CDK overrides such as the
     * tests' own {@code CDK_VALIDATION=false}) reach the CLI or the app, no instance metadata is asked for, and the
     * CLI sends no telemetry.
     */
    static void withoutAwsSettings(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("CDK_"));
        env.put("AWS_CONFIG_FILE", OUT.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", OUT.resolve("no-aws-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
    }

    /** infra/node_modules/.bin/cdk, which {@code npx cdk} runs there; skips (fails under CI) when it is missing. */
    static Path requireCli() {
        Path cdk = INFRA.resolve("node_modules/.bin/cdk");
        if (!Files.isExecutable(cdk) || CfnLint.onPath("node").isEmpty()) {
            String why = "the pinned CDK CLI (infra/node_modules/.bin/cdk) or node is missing, so cdk synth was not"
                    + " rehearsed; ./dev test installs it (cd infra && npm ci), with Node.js 20+";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return cdk;
    }

    @ParameterizedTest
    @MethodSource("operators")
    void cdkSynthSucceeds(Operator operator) {
        Run run = run(operator);
        assertEquals(0, run.exitCode(), "'" + operator.command() + "' failed:\n" + run.tail());
    }

    @ParameterizedTest
    @MethodSource("operators")
    void synthesizesTheStackForTheRegionAndAccountTheCliGave(Operator operator) {
        JsonNode artifact = run(operator).manifest().path("artifacts").path(operator.stackName());
        String account = operator.account() == null ? "unknown-account" : operator.account();
        assertEquals("aws://" + account + "/" + operator.region(), artifact.path("environment").asText());
    }

    @ParameterizedTest
    @MethodSource("operators")
    void cdkNagAndCdkReportNoErrorAndNoWarning(Operator operator) {
        TreeSet<String> reported = new TreeSet<>();
        run(operator).metadata().properties().forEach(construct -> {
            for (JsonNode entry : construct.getValue()) {
                String type = entry.path("type").asText();
                if (type.equals("aws:cdk:error") || type.equals("aws:cdk:warning")) {
                    reported.add(construct.getKey() + " " + type + " " + entry.path("data").asText());
                }
            }
        });
        assertEquals(new TreeSet<>(), reported);
    }

    @ParameterizedTest
    @MethodSource("operators")
    void templatePassesCfnLintForItsRegion(Operator operator) {
        CfnLint.requireExecutable();
        assertEquals(List.of(), CfnLint.findings(run(operator).template(), operator.region()));
    }

    @Test
    void inChinaNoArnOfTheTemplateNamesTheAwsPartition() throws IOException {
        Operator china = OPERATORS.stream().filter(o -> o.region().equals("cn-north-1")).findFirst().orElseThrow();
        String template = Files.readString(run(china).template());
        List<String> aws = template.lines().filter(line -> line.contains("arn:aws:")).map(String::trim).toList();
        assertEquals(List.of(), aws);
    }

    @Test
    void theEverySettingCommandGivesEverySettingTheReadmeDocuments() throws Exception {
        Operator every = OPERATORS.stream().filter(o -> o.name().equals("every-setting")).findFirst().orElseThrow();
        TreeSet<String> keys = new TreeSet<>();
        for (var field : FleetrunSettings.Keys.class.getFields()) {
            keys.add((String) field.get(null));
        }
        assertEquals(keys, new TreeSet<>(every.context().keySet()));
    }

    @Test
    void theEverySettingStackHasTheScheduledAndTheAlarmJobOfTheExample() {
        Operator every = OPERATORS.stream().filter(o -> o.name().equals("every-setting")).findFirst().orElseThrow();
        TreeSet<String> jobs = new TreeSet<>();
        Run.read(run(every).template()).path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Events::Rule")) {
                String description = e.getValue().path("Properties").path("Description").asText();
                if (description.startsWith("fleetrun job")) {
                    jobs.add(e.getValue().path("Properties").has("ScheduleExpression") ? "schedule" : "alarm");
                }
            }
        });
        assertTrue(jobs.containsAll(List.of("schedule", "alarm")), "job rules: " + jobs);
    }

    @Test
    void eachCommandIsInTheInfraReadmeWordForWord() {
        List<String> readme = InfraReadme.commandLines();
        List<String> missing = OPERATORS.stream().map(Operator::command).filter(c -> !readme.contains(c)).toList();
        assertEquals(List.of(), missing);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
