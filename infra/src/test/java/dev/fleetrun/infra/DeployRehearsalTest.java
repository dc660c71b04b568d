package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.cli.ExitCode;
import dev.fleetrun.cli.Fleetrun;
import dev.fleetrun.cli.Terminal;
import dev.fleetrun.local.sfn.moto.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A deploy rehearsal on an implementation we did not write: moto's CloudFormation (moto 5.2.1, through local's
 * {@link MotoServer} on a free loopback port) creates the stack an operator's {@code cdk deploy} would create, from the
 * environment-specific cloud assembly, with its assets published to the bootstrap bucket the way cdk does it
 * ({@link CdkDeploy}). Then the resources are read back from the services (Step Functions, DynamoDB, EventBridge, SNS,
 * SQS, IAM, Lambda), not from CloudFormation, and compared with what the template says, its intrinsic functions
 * worked out from the deployed resources ({@link StackValues}); the operator's {@code fleetrun} command finds the
 * state machine and the table from the stack's outputs; an update that adds a scheduled job completes and adds its
 * rule; and a delete keeps what the template retains.
 *
 * <p>What moto does not create or keep is listed in {@link #gaps()}, checked to still be missing (so the list stays
 * true when moto changes), and printed; infra/README.md has the same list. Without moto the class is skipped with a
 * line saying so; under {@code CI=true} it fails instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployRehearsalTest {

    static final String STACK = "FleetrunRehearsal";
    /** moto's own account, so that the ARNs the environment-specific template spells out are the ones moto makes. */
    static final String ACCOUNT = "123456789012";
    static final Region REGION = Region.US_EAST_1;
    static final Environment ENV = Environment.builder().account(ACCOUNT).region(REGION.id()).build();
    /** The job the update adds. */
    static final String NEW_JOB = "nightly-uptime";

    /** Resource types of this stack that moto 5.2.1's CloudFormation skips with a warning instead of creating. */
    static final Set<String> NOT_CREATED_BY_MOTO = Set.of("AWS::CloudWatch::Alarm", "AWS::Lambda::EventInvokeConfig",
            "AWS::S3::BucketPolicy", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy");

    private static final ObjectMapper JSON = new ObjectMapper();

    private MotoServer moto;
    private AwsEndpoint endpoint;
    private CdkDeploy deploy;
    private DeployableStack first;
    private Stack created;
    private Map<String, String> physicalIds;
    private Set<String> createdIds;
    private StackValues values;
    private long started;

    private SfnClient sfn;
    private DynamoDbClient dynamo;
    private EventBridgeClient events;
    private SnsClient sns;
    private SqsClient sqs;
    private IamClient iam;
    private LambdaClient lambda;
    private S3Client s3;

    @BeforeAll
    void deployTheStack() throws Exception {
        Optional<String> unavailable = MotoServer.unavailable();
        if (unavailable.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the deploy rehearsal needs moto's server when CI=true, and " + unavailable.get()
                        + "; install it with: pip install 'moto[server]==5.2.1'");
            }
            System.out.println("no moto server: deploy rehearsal skipped (" + unavailable.get() + ")");
            Assumptions.abort("moto is not available: " + unavailable.get());
        }
        started = System.nanoTime();
        first = DeployableStack.synthesize("rehearsal", context(Synthesized.SAMPLE_JOBS), ENV, DeployRehearsalTest::standInCode);
        moto = MotoServer.start(Synthesized.TARGET.resolve("moto-rehearsal.log"));
        // Executions are recorded, not run: moto's Lambda cannot run Java, and nothing here needs a run. And moto's
        // Docker-less Lambda (use_docker false, the wrapper's default) is a second backend that CloudFormation does not
        // write to, so the functions it creates would be invisible to the Lambda API: nothing is invoked here anyway.
        moto.configure("{\"stepfunctions\":{\"execute_state_machine\":false},\"lambda\":{\"use_docker\":true}}");
        endpoint = AwsEndpoint.of(moto.endpoint(), REGION, ACCOUNT, "fleetrun", "fleetrun");
        deploy = new CdkDeploy(endpoint, CdkDeploy.awsStyle(endpoint), Duration.ofSeconds(120));
        sfn = endpoint.client(SfnClient.builder());
        dynamo = endpoint.client(DynamoDbClient.builder());
        events = endpoint.client(EventBridgeClient.builder());
        sns = endpoint.client(SnsClient.builder());
        sqs = endpoint.client(SqsClient.builder());
        iam = endpoint.client(IamClient.builder());
        lambda = endpoint.client(LambdaClient.builder());
        s3 = endpoint.s3();

        deploy.bootstrap(first);
        deploy.publish(first);
        created = deploy.create(first);
        physicalIds = physicalIds(STACK);
        createdIds = deploy.cloudFormation().describeStackResources(b -> b.stackName(STACK)).stackResources().stream()
                .filter(r -> r.logicalResourceId() != null && r.resourceType() != null)
                .map(StackResource::logicalResourceId).collect(Collectors.toCollection(TreeSet::new));
        values = new StackValues(first.templateJson(), physicalIds, Map.of("AWS::Region", REGION.id(),
                "AWS::AccountId", ACCOUNT, "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com",
                "AWS::StackName", STACK), this::attribute);
        System.out.printf("deploy rehearsal: stack %s %s on moto in %d ms%n", STACK, created.stackStatusAsString(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    void stopMoto() {
        for (AutoCloseable c : new AutoCloseable[] {sfn, dynamo, events, sns, sqs, iam, lambda, s3, deploy, moto}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.out.println("closing " + c + ": " + e);
            }
        }
        if (started != 0) {
            System.out.printf("deploy rehearsal: %d ms in all%n", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** The configured test context (allowed documents, instance tag, alert e-mail, retention), this stack name and jobs file. */
    static Map<String, Object> context(Path jobsFile) {
        Map<String, Object> context = new HashMap<>(Synthesized.CONFIGURED_CONTEXT);
        context.put(FleetrunSettings.Keys.STACK_NAME, STACK);
        context.put(FleetrunSettings.Keys.JOBS_FILE, jobsFile.toString());
        return context;
    }

    /** moto cannot run the functions (no Docker), so their code is the tests' stand-in directory, zipped as cdk zips it. */
    static Code standInCode(FleetrunSettings settings) {
        return Code.fromAsset(Synthesized.dummyAsset().toString());
    }

    // ---- create ----

    @Test
    @Order(1)
    void theSynthesizedStackReachesCreateComplete() {
        assertEquals("CREATE_COMPLETE", created.stackStatusAsString(),
                created.stackStatusReason() + "; " + deploy.failures(created.stackId()));
    }

    @Test
    @Order(2)
    void motoCreatesEveryResourceExceptTheTypesItLacks() {
        Map<String, String> notCreated = new TreeMap<>();
        first.templateJson().path("Resources").properties().forEach(r -> {
            if (!createdIds.contains(r.getKey())) {
                notCreated.put(r.getKey(), r.getValue().path("Type").asText());
            }
        });
        assertEquals(NOT_CREATED_BY_MOTO, new TreeSet<>(notCreated.values()), "not created: " + notCreated);
    }

    @Test
    @Order(3)
    void theOutputsNameTheDeployedResources() {
        Map<String, String> deployed = outputs(created);
        Map<String, String> promised = new TreeMap<>();
        first.templateJson().path("Outputs").properties().forEach(o -> promised.put(o.getKey(), values.resolve(o.getValue().path("Value")).asText()));
        assertEquals(promised, new TreeMap<>(deployed));
    }

    @Test
    @Order(3)
    void theStateMachineRunsTheTemplatesDefinitionOnTheLiveAliasesUnderItsRole() {
        Map.Entry<String, JsonNode> machine = first.only("AWS::StepFunctions::StateMachine");
        DescribeStateMachineResponse deployed = sfn.describeStateMachine(b -> b.stateMachineArn(physicalIds.get(machine.getKey())));
        Map<String, String> substitutions = new TreeMap<>();
        values.property(machine.getKey(), "DefinitionSubstitutions").properties()
                .forEach(s -> substitutions.put(s.getKey(), s.getValue().asText()));
        String promised = machine.getValue().path("Properties").path("DefinitionString").asText();
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(values.property(machine.getKey(), "RoleArn").asText(), deployed.roleArn(), "role"));
        checks.add(() -> assertEquals(machine.getValue().path("Properties").path("StateMachineType").asText(), deployed.typeAsString(), "type"));
        // Compared with the substitutions applied on both sides: moto stores the definition with its placeholders (a gap).
        checks.add(() -> assertEquals(json(substitute(promised, substitutions)), json(substitute(deployed.definition(), substitutions)), "definition"));
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            checks.add(() -> {
                String[] arn = s.getValue().split(":");
                assertEquals(8, arn.length, s.getKey() + " is not an alias ARN (arn:aws:lambda:R:A:function:NAME:ALIAS): " + s.getValue());
                assertEquals(s.getValue(), lambda.getAlias(b -> b.functionName(arn[6]).name(arn[7])).aliasArn(), s.getKey());
            });
        }
        assertAll("state machine " + deployed.name(), checks);
    }

    @Test
    @Order(3)
    void theRecordsTableHasTheTemplatesKeysIndexesAndBilling() {
        Map.Entry<String, JsonNode> table = first.only("AWS::DynamoDB::Table");
        JsonNode props = table.getValue().path("Properties");
        TableDescription deployed = dynamo.describeTable(b -> b.tableName(physicalIds.get(table.getKey()))).table();
        Map<String, String> indexes = new TreeMap<>();
        props.path("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.path("IndexName").asText(),
                keys(i.path("KeySchema")) + " " + i.path("Projection").path("ProjectionType").asText()));
        Map<String, String> deployedIndexes = new TreeMap<>();
        for (GlobalSecondaryIndexDescription i : deployed.globalSecondaryIndexes()) {
            deployedIndexes.put(i.indexName(), keys(i.keySchema()) + " " + i.projection().projectionTypeAsString());
        }
        Set<String> attributes = new TreeSet<>();
        props.path("AttributeDefinitions").forEach(a -> attributes.add(a.path("AttributeName").asText() + ":" + a.path("AttributeType").asText()));
        assertAll("table " + deployed.tableName(),
                () -> assertEquals(keys(props.path("KeySchema")), keys(deployed.keySchema()), "keys"),
                () -> assertEquals(attributes, deployed.attributeDefinitions().stream()
                        .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).collect(Collectors.toCollection(TreeSet::new)), "attributes"),
                () -> assertEquals(indexes, deployedIndexes, "global secondary indexes"),
                () -> assertEquals(props.path("BillingMode").asText(), deployed.billingModeSummary().billingModeAsString(), "billing"));
    }

    @Test
    @Order(3)
    void everyRuleHasTheTemplatesPatternOrScheduleAndTargetsWithTheDeadLetterQueue() {
        Map<String, JsonNode> rules = first.resources("AWS::Events::Rule");
        String queueArn = values.getAtt(first.only("AWS::SQS::Queue").getKey(), "Arn");
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> rule : rules.entrySet()) {
            checks.add(() -> {
                JsonNode props = rule.getValue().path("Properties");
                String name = physicalIds.get(rule.getKey());
                DescribeRuleResponse deployed = events.describeRule(b -> b.name(name));
                List<Target> targets = events.listTargetsByRule(b -> b.rule(name)).targets();
                assertAll(rule.getKey(),
                        () -> assertEquals(props.path("State").asText(), deployed.stateAsString(), "state"),
                        () -> assertEquals(props.path("Description").asText(null), deployed.description(), "description"),
                        () -> assertEquals(props.path("ScheduleExpression").asText(null), deployed.scheduleExpression(), "schedule"),
                        () -> assertEquals(props.has("EventPattern") ? values.resolve(props.path("EventPattern")) : null,
                                deployed.eventPattern() == null ? null : json(deployed.eventPattern()), "pattern"),
                        () -> assertEquals(templateTargets(values.resolve(props.path("Targets"))), deployedTargets(targets), "targets"),
                        () -> assertTrue(targets.stream().allMatch(t -> t.deadLetterConfig() != null && queueArn.equals(t.deadLetterConfig().arn())),
                                "every target dead-letters to the stack's queue " + queueArn));
            });
        }
        assertEquals(5, rules.size(), "SSM status, execution status and the three sample jobs: " + rules.keySet());
        assertAll("rules", checks);
    }

    @Test
    @Order(3)
    void theDeadLetterQueueKeepsMessagesForTwoWeeksEncrypted() {
        String queue = first.only("AWS::SQS::Queue").getKey();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(physicalIds.get(queue))
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertAll("queue " + queue,
                () -> assertEquals(values.property(queue, "MessageRetentionPeriod").asText(),
                        attributes.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD), "retention"),
                () -> assertEquals(values.property(queue, "SqsManagedSseEnabled").asText(),
                        attributes.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED), "SQS-managed encryption"));
    }

    @Test
    @Order(3)
    void theAlertTopicIsEncryptedWithTheStacksKey() {
        Map.Entry<String, JsonNode> topic = first.only("AWS::SNS::Topic");
        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(physicalIds.get(topic.getKey()))).attributes();
        assertAll("topic " + topic.getKey(),
                () -> assertEquals(values.property(topic.getKey(), "KmsMasterKeyId").asText(), attributes.get("KmsMasterKeyId"), "key"),
                () -> assertEquals(values.property(topic.getKey(), "DisplayName").asText(), attributes.get("DisplayName"), "display name"));
    }

    @Test
    @Order(3)
    void everyRoleTrustsItsPrincipalAndHasExactlyTheTemplatesPolicies() {
        Map<String, JsonNode> roles = first.resources("AWS::IAM::Role");
        Map<String, JsonNode> policies = first.resources("AWS::IAM::Policy");
        List<Executable> checks = new ArrayList<>();
        for (String roleId : roles.keySet()) {
            checks.add(() -> {
                String roleName = physicalIds.get(roleId);
                var role = iam.getRole(b -> b.roleName(roleName)).role();
                Map<String, JsonNode> promised = new TreeMap<>();
                policies.forEach((policyId, policy) -> {
                    JsonNode props = policy.path("Properties");
                    for (JsonNode r : props.path("Roles")) {
                        if (roleId.equals(r.path("Ref").asText())) {
                            promised.put(props.path("PolicyName").asText(), values.property(policyId, "PolicyDocument"));
                        }
                    }
                });
                Map<String, JsonNode> deployed = new TreeMap<>();
                for (String name : iam.listRolePolicies(b -> b.roleName(roleName)).policyNames()) {
                    deployed.put(name, json(decode(iam.getRolePolicy(b -> b.roleName(roleName).policyName(name)).policyDocument())));
                }
                Set<String> managed = new TreeSet<>();
                values.property(roleId, "ManagedPolicyArns").forEach(a -> managed.add(a.asText()));
                assertAll(roleId,
                        () -> assertEquals(values.property(roleId, "AssumeRolePolicyDocument"), json(decode(role.assumeRolePolicyDocument())), "trust"),
                        () -> assertEquals(promised, deployed, "inline policies"),
                        () -> assertEquals(managed, iam.listAttachedRolePolicies(b -> b.roleName(roleName)).attachedPolicies().stream()
                                .map(AttachedPolicy::policyArn).collect(Collectors.toCollection(TreeSet::new)), "managed policies"));
            });
        }
        Map.Entry<String, JsonNode> nodePolicy = first.only("AWS::IAM::ManagedPolicy");
        checks.add(() -> {
            String arn = physicalIds.get(nodePolicy.getKey());
            String version = iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId();
            assertEquals(values.property(nodePolicy.getKey(), "PolicyDocument"),
                    json(decode(iam.getPolicyVersion(b -> b.policyArn(arn).versionId(version)).policyVersion().document())),
                    nodePolicy.getKey());
        });
        assertEquals(11, roles.size(), "nine functions, the state machine and its events role: " + roles.keySet());
        assertAll("roles", checks);
    }

    @Test
    @Order(3)
    void everyFunctionRunsThePublishedCodeWithItsHandlerEnvironmentAndRoleBehindALiveAlias() {
        Map<String, JsonNode> functions = first.resources("AWS::Lambda::Function");
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> fn : functions.entrySet()) {
            checks.add(() -> {
                JsonNode props = fn.getValue().path("Properties");
                String name = physicalIds.get(fn.getKey());
                GetFunctionConfigurationResponse deployed = lambda.getFunctionConfiguration(b -> b.functionName(name));
                JsonNode code = values.property(fn.getKey(), "Code");
                byte[] published = s3.getObjectAsBytes(b -> b.bucket(code.path("S3Bucket").asText()).key(code.path("S3Key").asText())).asByteArray();
                Map<String, String> environment = new TreeMap<>();
                values.property(fn.getKey(), "Environment").path("Variables").properties().forEach(v -> environment.put(v.getKey(), v.getValue().asText()));
                String liveVersion = lambda.getAlias(b -> b.functionName(name).name("live")).functionVersion();
                assertAll(fn.getKey(),
                        () -> assertEquals(props.path("Handler").asText(), deployed.handler(), "handler"),
                        () -> assertEquals(props.path("Runtime").asText(), deployed.runtimeAsString(), "runtime"),
                        () -> assertEquals(props.path("MemorySize").asInt(), deployed.memorySize(), "memory"),
                        () -> assertEquals(props.path("Timeout").asInt(), deployed.timeout(), "timeout"),
                        () -> assertEquals(props.path("Description").asText(), deployed.description(), "description"),
                        () -> assertEquals(values.property(fn.getKey(), "Role").asText(), deployed.role(), "role"),
                        () -> assertEquals(environment, new TreeMap<>(deployed.environment().variables()), "environment"),
                        () -> assertEquals(sha256(published), deployed.codeSha256(), "code: the object cdk published"),
                        () -> assertTrue(lambda.listVersionsByFunction(b -> b.functionName(name)).versions().stream()
                                .map(FunctionConfiguration::version).anyMatch(v -> v.equals(liveVersion) && !v.equals("$LATEST")),
                                "alias live points at a published version, not " + liveVersion));
            });
        }
        assertEquals(9, functions.size(), functions.keySet().toString());
        assertAll("functions", checks);
    }

    /** What the template says that moto 5.2.1 does not keep, each with a check that it is still missing. */
    List<Gap> gaps() {
        String machineId = first.only("AWS::StepFunctions::StateMachine").getKey();
        String tableId = first.only("AWS::DynamoDB::Table").getKey();
        Map.Entry<String, JsonNode> someFunction = first.resources("AWS::Lambda::Function").entrySet().iterator().next();
        return List.of(
                new Gap("resources of types " + new TreeSet<>(NOT_CREATED_BY_MOTO) + ": its CloudFormation skips them (so"
                        + " no alarms, no invoke configs with their on-failure queue, no bucket, topic or queue policies,"
                        + " no e-mail subscription)",
                        () -> NOT_CREATED_BY_MOTO.stream().noneMatch(type -> first.resources(type).keySet().stream().anyMatch(createdIds::contains))),
                new Gap("the state machine's DefinitionSubstitutions: the definition is stored with its ${...} placeholders",
                        () -> describeMachine(machineId).definition().contains("${StartRunFunctionArn}")),
                new Gap("the state machine's LoggingConfiguration (level ALL to its log group) and TracingConfiguration",
                        () -> describeMachine(machineId).loggingConfiguration().levelAsString().equals("OFF")
                                && !describeMachine(machineId).tracingConfiguration().enabled()),
                new Gap("the table's TimeToLiveSpecification (expiresAt)",
                        () -> !"ENABLED".equals(dynamo.describeTimeToLive(b -> b.tableName(physicalIds.get(tableId)))
                                .timeToLiveDescription().timeToLiveStatusAsString())),
                new Gap("the table's PointInTimeRecoverySpecification",
                        () -> !"ENABLED".equals(dynamo.describeContinuousBackups(b -> b.tableName(physicalIds.get(tableId)))
                                .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString())),
                new Gap("the functions' Architectures (arm64), SnapStart, TracingConfig and LoggingConfig",
                        () -> {
                            var c = lambda.getFunctionConfiguration(b -> b.functionName(physicalIds.get(someFunction.getKey())));
                            return !c.architecturesAsStrings().contains("arm64") && !"PublishedVersions".equals(c.snapStart().applyOnAsString())
                                    && !"Active".equals(c.tracingConfig().modeAsString());
                        }),
                new Gap("Fn::GetAtt LogGroup.Arn ends without AWS's ':*' (so the functions' log statements name the group,"
                        + " not its streams)",
                        () -> values.getAtt(first.resources("AWS::Logs::LogGroup").keySet().iterator().next(), "Arn").endsWith(
                                ":log-group:" + physicalIds.get(first.resources("AWS::Logs::LogGroup").keySet().iterator().next()))),
                new Gap("the template's Rules (CheckBootstrapVersion) are not evaluated; the BootstrapVersion parameter is"
                        + " still resolved from SSM", this::aStackWhoseRuleFailsIsCreated));
    }

    record Gap(String what, BooleanSupplier stillMissing) {
    }

    /** A template whose only rule can never hold: CloudFormation refuses it, moto creates it. */
    private boolean aStackWhoseRuleFailsIsCreated() {
        String template = "{\"Rules\":{\"Never\":{\"Assertions\":[{\"Assert\":{\"Fn::Equals\":[\"a\",\"b\"]},"
                + "\"AssertDescription\":\"never holds\"}]}},\"Resources\":{\"Topic\":{\"Type\":\"AWS::SNS::Topic\"}}}";
        try {
            String id = deploy.cloudFormation().createStack(b -> b.stackName("FleetrunRulesProbe").templateBody(template)).stackId();
            boolean created = deploy.settle(id).stackStatusAsString().equals("CREATE_COMPLETE");
            deploy.delete(id);
            return created;
        } catch (software.amazon.awssdk.services.cloudformation.model.CloudFormationException refused) {
            return false;
        }
    }

    @Test
    @Order(4)
    void motoStillLacksWhatTheRehearsalCannotCheck() {
        List<Gap> gaps = gaps();
        System.out.println("deploy rehearsal: moto 5.2.1 lacks, so this is not rehearsed:");
        gaps.forEach(g -> System.out.println("  - " + g.what()));
        List<String> nowThere = gaps.stream().filter(g -> !g.stillMissing().getAsBoolean()).map(Gap::what).toList();
        assertEquals(List.of(), nowThere, "moto now has these: check them in the rehearsal and take them off the list"
                + " (here and in infra/README.md)");
    }

    // ---- the operator's command line against the deployed stack ----

    @Test
    @Order(5)
    void theCliFindsTheStateMachineAndTableFromTheStacksOutputs() {
        String machineArn = outputs(created).get("RollingRunStateMachineArn");
        sfn.startExecution(b -> b.stateMachineArn(machineArn).name("rehearsal-run-1").input(read(Synthesized.ROOT.resolve("events/inputs/dry-run.json"))));
        String where = "stack " + STACK + " in " + REGION.id();
        assertAll("fleetrun --region " + REGION.id() + " --stack " + STACK,
                () -> assertEquals(new Cli(ExitCode.NOT_FOUND, "fleetrun: no run rehearsal-missing on " + where + "\n"),
                        fleetrun("status", "rehearsal-missing"), "a run the table does not have"),
                () -> assertEquals(new Cli(ExitCode.OK, "run rehearsal-run-1: execution RUNNING (no run record: it ended before it started)\n"),
                        fleetrun("status", "rehearsal-run-1"), "an execution of the stack's state machine"),
                () -> assertEquals(new Cli(ExitCode.NOT_FOUND, "fleetrun: no run has touched i-0123456789abcdef0 on " + where + "\n"),
                        fleetrun("history", "--instance", "i-0123456789abcdef0"), "the byNode index of the stack's table"));
    }

    record Cli(int exitCode, String output) {
    }

    /** {@code fleetrun COMMAND ARGS --region R --stack NAME}, as an operator runs it, with moto as the AWS endpoint. */
    private Cli fleetrun(String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("--region", REGION.id(), "--stack", STACK));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String before = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.endpointUrl", moto.endpoint().toString());  // as AWS_ENDPOINT_URL would
        try {
            int code = Fleetrun.execute(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), false), line.toArray(String[]::new));
            return new Cli(code, out.toString(StandardCharsets.UTF_8));
        } finally {
            if (before == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", before);
            }
        }
    }

    // ---- update and delete ----

    @Test
    @Order(6)
    void anUpdateThatAddsAScheduledJobCompletesAndAddsItsRuleAndReplacesNothing() throws IOException {
        ObjectNode jobs = (ObjectNode) JSON.readTree(Synthesized.SAMPLE_JOBS.toFile());
        ((ArrayNode) jobs.path("jobs")).addObject()
                .put("name", NEW_JOB).put("description", "Uptime of the web tier, nightly").put("schedule", "cron(0 2 * * ? *)")
                .set("request", JSON.readTree("{\"name\":\"" + NEW_JOB + "\",\"targets\":[{\"key\":\"tag:Role\",\"values\":[\"web\"]}],"
                        + "\"commands\":[\"uptime\"]}"));
        Path jobsFile = Synthesized.TARGET.resolve("rehearsal-jobs-updated.json");
        Files.writeString(jobsFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(jobs));
        DeployableStack updated = DeployableStack.synthesize("rehearsal-updated", context(jobsFile), ENV, DeployRehearsalTest::standInCode);
        deploy.publish(updated);

        Stack stack = deploy.update(updated);

        assertEquals("UPDATE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason() + "; " + deploy.failures(stack.stackId()));
        Map<String, String> after = physicalIds(STACK);
        Set<String> added = new TreeSet<>(updated.resources("AWS::Events::Rule").keySet());
        added.removeAll(first.resources("AWS::Events::Rule").keySet());
        assertEquals(1, added.size(), "one new rule: " + added);
        String rule = after.get(added.iterator().next());
        DescribeRuleResponse deployed = events.describeRule(b -> b.name(rule));
        Target target = events.listTargetsByRule(b -> b.rule(rule)).targets().get(0);
        Map<String, String> replaced = new TreeMap<>();
        physicalIds.forEach((id, physical) -> {
            if (!physical.equals(after.get(id))) {
                replaced.put(id, physical + " -> " + after.get(id));
            }
        });
        assertAll("the update",
                () -> assertEquals("cron(0 2 * * ? *)", deployed.scheduleExpression(), "schedule"),
                () -> assertEquals("ENABLED", deployed.stateAsString(), "state"),
                () -> assertEquals(outputs(created).get("RollingRunStateMachineArn"), target.arn(), "target"),
                () -> assertEquals(NEW_JOB, json(target.input()).path("trigger").path("job").asText(), "input: " + target.input()),
                () -> assertEquals(Map.of(), replaced, "resources replaced by adding a job"));
    }

    @Test
    @Order(7)
    void deletingTheStackKeepsTheRecordsTableAsItsRetentionPolicySays() {
        String table = physicalIds.get(first.only("AWS::DynamoDB::Table").getKey());
        assertEquals("Retain", first.only("AWS::DynamoDB::Table").getValue().path("DeletionPolicy").asText());
        String machine = physicalIds.get(first.only("AWS::StepFunctions::StateMachine").getKey());
        String queue = physicalIds.get(first.only("AWS::SQS::Queue").getKey());

        Stack stack = deploy.delete(created.stackId());

        assertAll("after delete",
                () -> assertEquals("DELETE_COMPLETE", stack.stackStatusAsString(), stack.stackStatusReason() + "; " + deploy.failures(stack.stackId())),
                () -> assertEquals("ACTIVE", dynamo.describeTable(b -> b.tableName(table)).table().tableStatusAsString(), "the retained table"),
                () -> first.resources("AWS::S3::Bucket").forEach((id, bucket) -> {
                    assertEquals("Retain", bucket.path("DeletionPolicy").asText(), id);
                    s3.headBucket(b -> b.bucket(physicalIds.get(id)));
                }),
                () -> assertThrows(StateMachineDoesNotExistException.class,
                        () -> sfn.describeStateMachine(b -> b.stateMachineArn(machine)), "the state machine (DeletionPolicy Delete)"),
                () -> assertThrows(QueueDoesNotExistException.class,
                        () -> sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN)),
                        "the dead-letter queue (DeletionPolicy Delete)"));
    }

    // ---- helpers ----

    /** Logical id to physical id of every resource moto created in the stack. */
    private Map<String, String> physicalIds(String stack) {
        Map<String, String> ids = new TreeMap<>();
        for (StackResource r : deploy.cloudFormation().describeStackResources(b -> b.stackName(stack)).stackResources()) {
            if (r.logicalResourceId() != null && r.physicalResourceId() != null) {
                ids.put(r.logicalResourceId(), r.physicalResourceId());
            }
        }
        return ids;
    }

    /** Fn::GetAtt, asked of the service that owns the resource. */
    private String attribute(String type, String id, String attribute) {
        return switch (type + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn" -> dynamo.describeTable(b -> b.tableName(id)).table().tableArn();
            case "AWS::SQS::Queue.Arn" -> sqs.getQueueAttributes(b -> b.queueUrl(id).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            case "AWS::SQS::Queue.QueueName" -> id.substring(id.lastIndexOf('/') + 1);
            case "AWS::IAM::Role.Arn" -> iam.getRole(b -> b.roleName(id)).role().arn();
            case "AWS::Lambda::Function.Arn" -> lambda.getFunctionConfiguration(b -> b.functionName(id)).functionArn();
            case "AWS::Events::Rule.Arn" -> events.describeRule(b -> b.name(id)).arn();
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + id;
            case "AWS::KMS::Key.Arn" -> "arn:aws:kms:" + REGION.id() + ":" + ACCOUNT + ":key/" + id;
            // moto's form, without the ':*' AWS appends (a gap, below)
            case "AWS::Logs::LogGroup.Arn" -> "arn:aws:logs:" + REGION.id() + ":" + ACCOUNT + ":log-group:" + id;
            default -> throw new IllegalArgumentException("no lookup for Fn::GetAtt " + type + "." + attribute);
        };
    }

    private DescribeStateMachineResponse describeMachine(String logicalId) {
        return sfn.describeStateMachine(b -> b.stateMachineArn(physicalIds.get(logicalId)));
    }

    private static Map<String, String> outputs(Stack stack) {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Output o : stack.outputs()) {
            outputs.put(o.outputKey(), o.outputValue());
        }
        return outputs;
    }

    /** The template's targets as the rule reports them: Input is JSON text on both sides. */
    private static JsonNode templateTargets(JsonNode targets) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode t : targets) {
            ObjectNode copy = t.deepCopy();
            if (copy.has("Input")) {
                copy.set("Input", json(copy.path("Input").asText()));
            }
            out.add(copy);
        }
        return out;
    }

    private static JsonNode deployedTargets(List<Target> targets) {
        ArrayNode out = JSON.createArrayNode();
        for (Target t : targets) {
            ObjectNode n = out.addObject();
            n.put("Arn", t.arn());
            if (t.deadLetterConfig() != null) {
                n.putObject("DeadLetterConfig").put("Arn", t.deadLetterConfig().arn());
            }
            n.put("Id", t.id());
            if (t.input() != null) {
                n.set("Input", json(t.input()));
            }
            if (t.inputTransformer() != null) {
                ObjectNode transformer = n.putObject("InputTransformer");
                transformer.set("InputPathsMap", JSON.valueToTree(t.inputTransformer().inputPathsMap()));
                transformer.put("InputTemplate", t.inputTransformer().inputTemplate());
            }
            if (t.retryPolicy() != null) {
                ObjectNode retry = n.putObject("RetryPolicy");
                retry.put("MaximumEventAgeInSeconds", t.retryPolicy().maximumEventAgeInSeconds());
                retry.put("MaximumRetryAttempts", t.retryPolicy().maximumRetryAttempts());
            }
            if (t.roleArn() != null) {
                n.put("RoleArn", t.roleArn());
            }
        }
        return out;
    }

    private static String keys(JsonNode schema) {
        List<String> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(k.path("AttributeName").asText() + ":" + k.path("KeyType").asText()));
        return String.join(",", keys);
    }

    private static String keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).collect(Collectors.joining(","));
    }

    private static String substitute(String definition, Map<String, String> substitutions) {
        String out = definition;
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            out = out.replace("${" + s.getKey() + "}", s.getValue());
        }
        return out;
    }

    private static String decode(String policy) {
        return policy.startsWith("%7B") || policy.startsWith("%7b") ? URLDecoder.decode(policy, StandardCharsets.UTF_8) : policy;
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
