package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awscdk.Environment;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The LocalStack tier, opt-in: the stack deployed on LocalStack (Testcontainers' LocalStack module) exactly as the moto
 * rehearsal deploys it ({@link CdkDeploy}, {@link DeployableStack}), this time with the real functions jar, then a
 * dry-run execution of the deployed workflow, whose functions LocalStack really runs (java21, in its own Lambda
 * containers).
 *
 * <p>It runs only where a Docker engine answers and {@code FLEETRUN_LOCALSTACK=1} (or {@code -Dfleetrun.localstack=true})
 * asks for it: it pulls LocalStack's image (about 1 GB) and takes minutes. Without a Docker engine it prints
 * {@value #NO_DOCKER} and is skipped; CI's output shows that line. The image is {@value #DEFAULT_IMAGE} unless
 * {@code FLEETRUN_LOCALSTACK_IMAGE} names another; {@code LOCALSTACK_AUTH_TOKEN} is passed on when set.
 *
 * <p>LocalStack's SSM has no managed nodes of its own, so the dry run's StartRun finds none to plan for and the run
 * ends {@code Fleetrun.NoTargets}, unless nodes are registered there (LocalStack's EC2 Docker backend): then it must
 * succeed with the plan. Either way the real StartRun function ran behind its alias, with the definition's
 * substitutions, its role and the table; any other end fails the test.
 */
class LocalStackDeployRehearsalTest {

    static final String NO_DOCKER = "no Docker engine: LocalStack tier skipped";
    static final String DEFAULT_IMAGE = "localstack/localstack:4.4";
    /** LocalStack's default account. */
    static final String ACCOUNT = "000000000000";
    static final String STACK = "FleetrunLocalStack";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theStackDeploysOnLocalStackAndADryRunOfItsWorkflowEndsWithAPlanOrNoTargets() throws Exception {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            System.out.println(NO_DOCKER);
            Assumptions.abort(NO_DOCKER);
        }
        if (!requested()) {
            String line = "LocalStack tier not requested: set FLEETRUN_LOCALSTACK=1 (or -Dfleetrun.localstack=true) to run it";
            System.out.println(line);
            Assumptions.abort(line);
        }
        Path jar = Path.of(System.getProperty(FleetrunApp.JAR_PROPERTY,
                Synthesized.ROOT.resolve("functions/target/fleetrun-functions-0.1.0-SNAPSHOT-lambda.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            fail("the LocalStack tier deploys the real functions and needs their jar " + jar + ": build it with ./dev build");
        }
        String image = System.getenv().getOrDefault("FLEETRUN_LOCALSTACK_IMAGE", DEFAULT_IMAGE);
        try (LocalStackContainer localstack = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))) {
            localstack.withEnv("LAMBDA_IGNORE_ARCHITECTURE", "1");  // the functions are arm64; run them on this host's
            String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
            if (token != null && !token.isBlank()) {
                localstack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
            }
            localstack.start();
            Region region = Region.of(localstack.getRegion());
            AwsEndpoint endpoint = AwsEndpoint.of(localstack.getEndpoint(), region, ACCOUNT, localstack.getAccessKey(),
                    localstack.getSecretKey());
            Map<String, Object> context = new HashMap<>(Synthesized.CONFIGURED_CONTEXT);
            context.put(FleetrunSettings.Keys.STACK_NAME, STACK);
            context.put(FleetrunSettings.Keys.FUNCTIONS_JAR, jar.toString());
            DeployableStack stack = DeployableStack.synthesize("localstack", context,
                    Environment.builder().account(ACCOUNT).region(region.id()).build(), FleetrunApp::functionsJar);

            try (CdkDeploy deploy = new CdkDeploy(endpoint, CdkDeploy.endpointStyle(endpoint), Duration.ofMinutes(10));
                 SfnClient sfn = endpoint.client(SfnClient.builder())) {
                deploy.bootstrap(stack);
                deploy.publish(stack);
                Stack created = deploy.create(stack);
                assertEquals("CREATE_COMPLETE", created.stackStatusAsString(),
                        created.stackStatusReason() + "; " + deploy.failures(created.stackId()));

                String machine = created.outputs().stream().filter(o -> o.outputKey().equals("RollingRunStateMachineArn"))
                        .map(Output::outputValue).findFirst().orElseThrow();
                String executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("localstack-dry-run")
                        .input(read(Synthesized.ROOT.resolve("events/inputs/dry-run.json")))).executionArn();
                DescribeExecutionResponse end = awaitEnd(sfn, executionArn, Duration.ofMinutes(5));
                System.out.printf("LocalStack tier: the dry run ended %s %s%n", end.statusAsString(),
                        end.status() == ExecutionStatus.SUCCEEDED ? end.output() : end.error() + ": " + end.cause());
                if (end.status() == ExecutionStatus.SUCCEEDED) {
                    JsonNode plan = JSON.readTree(end.output());
                    assertTrue(plan.path("dryRun").asBoolean() && plan.path("waves").isArray(), "a plan: " + end.output());
                } else {
                    assertEquals("FAILED Fleetrun.NoTargets", end.statusAsString() + " " + end.error(),
                            "the real StartRun decides; cause: " + end.cause());
                }
            }
        }
    }

    static boolean requested() {
        return "1".equals(System.getenv("FLEETRUN_LOCALSTACK")) || "true".equalsIgnoreCase(System.getenv("FLEETRUN_LOCALSTACK"))
                || Boolean.getBoolean("fleetrun.localstack");
    }

    private static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            if (System.nanoTime() > deadline) {
                fail("the dry run " + executionArn + " is still RUNNING after " + within.toSeconds() + " s");
            }
            Thread.sleep(1_000);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
