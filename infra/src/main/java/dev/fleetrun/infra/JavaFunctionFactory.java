package dev.fleetrun.infra;

import dev.fleetrun.catalog.FleetrunFunction;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Makes "a Java function of this project": every fleetrun function is built here, so runtime, architecture,
 * SnapStart, logging, tracing and environment are decided once. What differs per function (handler, memory,
 * timeout, description) comes from the {@link FleetrunFunction} catalog; what it may call is granted afterwards by
 * {@link FunctionPermissions}.
 *
 * <ul>
 *   <li>Java 21 on arm64 (Graviton: same code, lower price per GB-second; the jar is pure Java).</li>
 *   <li>SnapStart on published versions, and a {@code live} alias on the current version: the alias is what callers
 *       invoke, so they always run the restored snapshot. Every function builds its AWS SDK clients and Jackson at
 *       init, which is the work a snapshot saves; SnapStart for Java costs nothing extra, so all functions use it.</li>
 *   <li>Its own role, with only log-writing to its own log group to start with (no AWS managed policy), its own log
 *       group with the chosen retention, and active X-Ray tracing.</li>
 * </ul>
 */
public final class JavaFunctionFactory {

    /** The alias every caller invokes. */
    public static final String ALIAS = "live";

    private final Construct scope;
    private final Code code;
    private final Map<String, String> environment;
    private final RetentionDays logRetention;

    /**
     * @param scope        where the functions go
     * @param code         the shaded jar of {@code functions/} (or, in tests, any asset)
     * @param environment  the environment every function gets (see docs/internals.md "Configuration")
     * @param logRetention how long function logs are kept
     */
    public JavaFunctionFactory(Construct scope, Code code, Map<String, String> environment, RetentionDays logRetention) {
        this.scope = scope;
        this.code = code;
        this.environment = Map.copyOf(environment);
        this.logRetention = logRetention;
    }

    /** Deploys one catalog function with its role, log group, version and alias. */
    public ProjectFunction create(FleetrunFunction entry) {
        Construct holder = new Construct(scope, entry.logicalName());
        Role role = Role.Builder.create(holder, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("fleetrun " + entry.logicalName() + " function")
                .build();
        LogGroup logGroup = LogGroup.Builder.create(holder, "Logs")
                .retention(logRetention)
                .build();
        logGroup.grantWrite(role);
        // grantWrite names the group's streams as its ARN and ":*"; the finding names exactly that, for this group.
        Nag.suppressResources(role, "AwsSolutions-IAM5",
                "Lambda writes to log streams it names at run time (date/[version]id), all inside this function's own log group.",
                List.of(logGroup.getLogGroupArn() + ":*"));
        Function function = Function.Builder.create(holder, "Function")
                .description(entry.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(entry.handlerClass())
                .code(code)
                .memorySize(entry.memoryMb())
                .timeout(Duration.seconds(entry.timeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .logGroup(logGroup)
                .role(role)
                .environment(environment)
                .build();
        CfnLintRules.dependsOnItsRoleOnPurpose(function);
        Nag.suppress(function, "AwsSolutions-L1",
                "fleetrun targets the java21 Lambda runtime on purpose: the build compiles with release 21 and SnapStart is proven there;"
                        + " moving to a newer Java runtime is a deliberate change of the whole build, not a template tweak.");
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The function is published: its current version is what the live alias, and so every caller, invokes.");
        Alias alias = Alias.Builder.create(holder, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        return new ProjectFunction(entry, function, alias, role);
    }
}
