package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.lambda.Code;

/**
 * A stack synthesized once per test JVM (synth is the slow part of these tests): the same path as the real app
 * ({@link FleetrunApp#build}, so context parsing, the jobs file and cdk-nag are included) with a dummy code asset
 * instead of the shaded jar, so the template tests need no {@code package} of functions.
 *
 * <p>Four of them: {@link #configured()} (every optional setting given, the sample jobs file) and {@link #defaults()}
 * (no context at all), both environment-agnostic; and the same two in the environments {@code cdk synth} gives the
 * app, since the CLI always names a Region: {@link #defaultsInEuWest1()} and {@link #configuredInChina()}, another
 * partition. Each test reads one and asserts one thing.
 */
final class Synthesized {

    static final Path ROOT = Path.of(System.getProperty(FleetrunApp.ROOT_PROPERTY, "..")).toAbsolutePath().normalize();
    static final Path TARGET = ROOT.resolve("infra/target");
    static final Path TEST_RESOURCES = ROOT.resolve("infra/src/test/resources");
    static final Path SAMPLE_JOBS = TEST_RESOURCES.resolve("jobs/sample-jobs.json");

    /** The context of {@link #configured()}. */
    static final Map<String, Object> CONFIGURED_CONTEXT = Map.of(
            FleetrunSettings.Keys.ALLOWED_DOCUMENTS, "AWS-RunShellScript,MyOrg-RestartService",
            FleetrunSettings.Keys.INSTANCE_TAG, "fleetrun:managed=true",
            FleetrunSettings.Keys.ALERT_EMAIL, "ops@example.com",
            FleetrunSettings.Keys.RETENTION_DAYS, "30",
            FleetrunSettings.Keys.LOG_RETENTION_DAYS, "90",
            FleetrunSettings.Keys.JOBS_FILE, SAMPLE_JOBS.toString());

    /** The account of the environment-specific stacks. */
    static final String ACCOUNT = "123456789012";

    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final Environment environment;
    final FleetrunStack stack;
    final Template template;
    final JsonNode json;
    final Path templateFile;
    final List<SynthesisMessage> messages;
    final long millis;

    private Synthesized(String name, Map<String, Object> context, Environment environment) {
        long start = System.nanoTime();
        this.name = name;
        this.environment = environment;
        App app = new App(AppProps.builder()
                .context(context)
                .outdir(TARGET.resolve("cdk.out-" + name).toString())
                .build());
        stack = FleetrunApp.build(app, ROOT, environment, settings -> Code.fromAsset(dummyAsset().toString()));
        CloudAssembly assembly = app.synth();
        CloudFormationStackArtifact artifact = assembly.getStackArtifact(stack.getArtifactId());
        template = Template.fromJSON(castMap(artifact.getTemplate()));
        json = JSON.valueToTree(artifact.getTemplate());
        templateFile = Path.of(artifact.getTemplateFullPath());
        messages = artifact.getMessages();
        millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("synthesized the %s stack in %d ms%n", name, millis);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object template) {
        return (Map<String, Object>) template;
    }

    private static final class Configured {
        static final Synthesized STACK = new Synthesized("configured", CONFIGURED_CONTEXT, FleetrunApp.agnostic());
    }

    private static final class Defaults {
        static final Synthesized STACK = new Synthesized("defaults", Map.of(), FleetrunApp.agnostic());
    }

    private static final class DefaultsInEuWest1 {
        static final Synthesized STACK = new Synthesized("defaults-eu-west-1", Map.of(),
                FleetrunApp.environment("eu-west-1", ACCOUNT));
    }

    private static final class ConfiguredInChina {
        static final Synthesized STACK = new Synthesized("configured-cn-north-1", CONFIGURED_CONTEXT,
                FleetrunApp.environment("cn-north-1", ACCOUNT));
    }

    /** Allowed documents AWS-RunShellScript and MyOrg-RestartService, an instance tag, an alert e-mail, the sample jobs. */
    static Synthesized configured() {
        return Configured.STACK;
    }

    /** No context: every default. */
    static Synthesized defaults() {
        return Defaults.STACK;
    }

    /** No context, in eu-west-1 and account {@value #ACCOUNT}: {@code cdk synth} with {@code AWS_REGION=eu-west-1}. */
    static Synthesized defaultsInEuWest1() {
        return DefaultsInEuWest1.STACK;
    }

    /** Every setting, in cn-north-1 (partition {@code aws-cn}) and account {@value #ACCOUNT}. */
    static Synthesized configuredInChina() {
        return ConfiguredInChina.STACK;
    }

    /** All four, for checks that hold whatever the settings and the environment. */
    static List<Synthesized> all() {
        return List.of(configured(), defaults(), defaultsInEuWest1(), configuredInChina());
    }

    /** By {@link #name}, for parameterized tests. */
    static Synthesized named(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no test stack " + name));
    }

    @Override
    public String toString() {
        return name;
    }

    /** The logical id of a construct's CloudFormation resource. */
    String logicalId(software.constructs.IConstruct construct) {
        return stack.getLogicalId((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
    }

    /** The resources of one type, by logical id. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
        json.path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The code asset of the tests: any directory will do, the template only names its hash. */
    static Path dummyAsset() {
        Path dir = TARGET.resolve("test-lambda-asset");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("README.txt"), "Stand-in for the shaded functions jar in infra tests.\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

}
