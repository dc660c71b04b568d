package dev.fleetrun.infra;

import dev.fleetrun.infra.jobs.JobsFile;
import dev.fleetrun.infra.jobs.RunRequestCheck;
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
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    private FleetrunApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            build(app, repositoryRoot(), FleetrunApp::functionsJar);
        } catch (ConfigurationException e) {
            System.err.println("fleetrun: cannot synthesize the stack. " + e.getMessage());
            System.exit(2);
        }
        app.synth();
    }

    /**
     * Builds the stack into {@code app} from the repository at {@code root}, with cdk-nag's AWS Solutions checks, for
     * the account and Region the CDK CLI names ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}; without them
     * the stack is environment-agnostic).
     *
     * @param code the functions' code asset for the settings: {@link #functionsJar} deploys the built jar
     */
    public static FleetrunStack build(App app, Path root, Function<FleetrunSettings, Code> code) {
        return build(app, root, code, Environment.builder()
                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                .region(System.getenv("CDK_DEFAULT_REGION"))
                .build());
    }

    /**
     * As {@link #build(App, Path, Function)}, for the given account and Region: tests synthesize the
     * environment-specific stack an operator's {@code cdk deploy} synthesizes, without setting the CLI's variables.
     */
    public static FleetrunStack build(App app, Path root, Function<FleetrunSettings, Code> code, Environment env) {
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
                .env(env)
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
