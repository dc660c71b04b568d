package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import dev.fleetrun.catalog.jobs.DomainRunRequestCheck;
import dev.fleetrun.catalog.jobs.JobsFile;
import dev.fleetrun.catalog.jobs.RunRequestCheck;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The CDK app ({@code cdk.json} runs it): reads the settings from context, the workflows from
 * {@code statemachines/}, the jobs file and the functions' shaded jar, builds {@link FleetrunStack}, runs cdk-nag's
 * AWS Solutions checks over it and synthesizes. A configuration problem ends it with the list of problems and exit
 * code 2, not a stack trace.
 */
public final class FleetrunApp {

    /** The repository root, when the launcher knows it (Maven passes it). */
    public static final String ROOT_PROPERTY = "fleetrun.root";
    /** The shaded jar, when the launcher knows its exact name (Maven passes it). */
    public static final String JAR_PROPERTY = "fleetrun.functionsJar";

    /**
     * CDK feature flags the stack relies on, set here rather than in cdk.json so the tests synthesize exactly what
     * {@code cdk deploy} does.
     */
    static final java.util.Map<String, Object> FEATURE_FLAGS = java.util.Map.of(
            // Server access logs are allowed by a bucket policy, so both buckets keep ACLs disabled.
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            // With a known Region (the CDK CLI always gives one), ARNs name its partition literally: arn:aws-cn:... in
            // cn-north-1, arn:aws:... in eu-west-1; an environment-agnostic stack keeps ${AWS::Partition}.
            "@aws-cdk/core:enablePartitionLiterals", true);

    private FleetrunApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            build(app, repositoryRoot(), cliEnvironment(), FleetrunApp::functionsJar);
        } catch (ConfigurationException e) {
            System.err.println("fleetrun: cannot synthesize the stack. " + e.getMessage());
            System.exit(2);
        }
        app.synth();
    }

    /**
     * The environment the CDK CLI asks for: {@code CDK_DEFAULT_REGION} (from {@code AWS_REGION}, the profile or the
     * CLI's own default, so always set under {@code cdk synth}) and {@code CDK_DEFAULT_ACCOUNT} (set where credentials
     * resolve). What is not set stays a CloudFormation pseudo parameter.
     */
    static Environment cliEnvironment() {
        return environment(System.getenv("CDK_DEFAULT_REGION"), System.getenv("CDK_DEFAULT_ACCOUNT"));
    }

    /** A Region and account, either of them {@code null} for "the one the stack is deployed in". */
    public static Environment environment(String region, String account) {
        return Environment.builder().region(blankToNull(region)).account(blankToNull(account)).build();
    }

    /** No Region and no account: the environment-agnostic stack. */
    public static Environment agnostic() {
        return environment(null, null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * Builds the stack into {@code app} from the repository at {@code root}, with cdk-nag's AWS Solutions checks.
     *
     * @param environment the Region and account to synthesize for ({@link #cliEnvironment()} in the app)
     * @param code        the functions' code asset for the settings: {@link #functionsJar} deploys the built jar
     */
    public static FleetrunStack build(App app, Path root, Environment environment, Function<FleetrunSettings, Code> code) {
        FEATURE_FLAGS.forEach((flag, value) -> app.getNode().setContext(flag, value));
        Path infra = root.resolve("infra");
        Path defaultJar = Path.of(System.getProperty(JAR_PROPERTY,
                root.resolve("functions/target/fleetrun-functions-0.1.0-SNAPSHOT-lambda.jar").toString()));
        FleetrunSettings settings = FleetrunSettings.fromContext(k -> app.getNode().tryGetContext(k), infra, defaultJar);
        FleetrunStack.Inputs inputs = new FleetrunStack.Inputs(settings,
                WorkflowDefinition.readAll(root.resolve("statemachines")),
                JobsFile.read(settings.jobsFile(), requestCheck(settings)),
                code.apply(settings));
        FleetrunStack stack = new FleetrunStack(app, settings.stackName(), StackProps.builder()
                .description("fleetrun: safe, wave-by-wave SSM Run Command roll-outs")
                .env(environment)
                .build(), inputs);
        Aspects.of(app).add(new AwsSolutionsChecks());
        return stack;
    }

    /** The shaded jar of {@code functions/}, which must have been built. */
    public static Code functionsJar(FleetrunSettings settings) {
        if (!Files.isRegularFile(settings.functionsJar())) {
            throw new ConfigurationException("functions", List.of("the Lambda jar " + settings.functionsJar()
                    + " does not exist; build it with ./dev build (or give its path with -c "
                    + FleetrunSettings.Keys.FUNCTIONS_JAR + "=...)"));
        }
        return Code.fromAsset(settings.functionsJar().toString());
    }

    /** How job run requests are checked at synth: as the start function will check them. */
    static RunRequestCheck requestCheck(FleetrunSettings settings) {
        return new DomainRunRequestCheck(settings.allowedDocuments());
    }

    /** The repository root: {@value #ROOT_PROPERTY}, else the nearest directory up from here with infra/ and a pom. */
    static Path repositoryRoot() {
        String given = System.getProperty(ROOT_PROPERTY);
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new ConfigurationException("repository", List.of("cannot find the fleetrun repository (a directory"
                + " with pom.xml and infra/) from " + Path.of("").toAbsolutePath() + "; run from inside it or pass -D"
                + ROOT_PROPERTY + "=PATH"));
    }
}
