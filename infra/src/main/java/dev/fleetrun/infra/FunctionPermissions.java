package dev.fleetrun.infra;

import dev.fleetrun.catalog.FleetrunFunction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * What each fleetrun function may call, and the IAM statements that allow exactly that. Every function reads and
 * writes the records table; beyond it, each gets only the {@link Capability capabilities} its handler uses
 * ({@link #CAPABILITIES}). Resources are as narrow as each service allows; the actions that accept only {@code "*"}
 * are listed in {@link #ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS} and nothing else is ever granted on {@code "*"}.
 */
public final class FunctionPermissions {

    /** The source of fleetrun's own events; the only source the functions may put on the bus. */
    public static final String EVENT_SOURCE = "fleetrun";

    /**
     * Actions whose IAM authorization takes no resource (the service authorization reference lists no resource type
     * for them), so their statements must say {@code "*"}.
     */
    public static final Set<String> ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = Set.of(
            "ssm:DescribeInstanceInformation", "ssm:ListCommands", "ssm:ListCommandInvocations",
            "ssm:GetCommandInvocation", "ssm:CancelCommand", "tag:GetResources",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords");

    /** One thing a function may do, beyond its table; each is one or two AWS API calls. */
    public enum Capability {
        /** {@code ssm:DescribeInstanceInformation}: resolve targets to managed nodes, or find which ones are gone. */
        DESCRIBE_NODES,
        /**
         * {@code resource-groups:ListGroupResources} on the account's groups, and {@code tag:GetResources}, which
         * Resource Groups calls as the caller to list a tag-based group's members (the API reference's minimum
         * permissions for ListGroupResources): resolve {@code resource-groups:Name} targets.
         */
        LIST_GROUP_MEMBERS,
        /** {@code ssm:SendCommand}, for the allowed documents and for nodes (optionally only tagged ones). */
        SEND_COMMANDS,
        /** {@code ssm:ListCommands}: find a command by its comment (retried sends, events of unknown commands). */
        LIST_COMMANDS,
        /** {@code ssm:ListCommandInvocations}: poll every node of a command. */
        LIST_INVOCATIONS,
        /** {@code ssm:GetCommandInvocation}: one node's exit code, details and output. */
        READ_INVOCATIONS,
        /** {@code ssm:CancelCommand}: stop what a stopped, finished or overdue run still has in flight. */
        CANCEL_COMMANDS,
        /** {@code states:SendTaskSuccess} on this stack's state machines: a wave is complete. */
        COMPLETE_TASKS,
        /** {@code states:SendTaskFailure} on this stack's state machines: a run was closed or lost a lease meanwhile. */
        FAIL_TASKS,
        /** {@code states:SendTaskHeartbeat} on this stack's state machines: a wave is still making progress. */
        HEARTBEAT_TASKS,
        /** {@code cloudwatch:DescribeAlarms}: a run's alarms must exist, and count as a breach. */
        READ_ALARMS,
        /** {@code events:PutEvents} on the default bus, source {@value #EVENT_SOURCE} only. */
        EMIT_EVENTS,
        /** {@code sns:Publish} to the alert topic (and its key). */
        PUBLISH_ALERTS
    }

    /**
     * The capabilities of each function: the calls its handler makes (dev.fleetrun.run: RunStarter, WaveSender and
     * WaveCompletion, StatusRecorder, Evaluator, Approvals, RollbackPlanner, RunCloser). A handler that starts calling
     * something new needs its line here; the template tests pin this table.
     */
    public static final Map<FleetrunFunction, Set<Capability>> CAPABILITIES = capabilities();

    private static Map<FleetrunFunction, Set<Capability>> capabilities() {
        Map<FleetrunFunction, Set<Capability>> m = new EnumMap<>(FleetrunFunction.class);
        for (FleetrunFunction f : FleetrunFunction.values()) {
            m.put(f, EnumSet.noneOf(Capability.class));
        }
        // Resolves targets; checks that the request's alarms exist; announces "Fleetrun Run Started".
        m.put(FleetrunFunction.START_RUN, EnumSet.of(Capability.DESCRIBE_NODES, Capability.LIST_GROUP_MEMBERS,
                Capability.READ_ALARMS, Capability.EMIT_EVENTS));
        // Sends (finding a command a retried send already made by its comment; looking the nodes up again when SSM
        // refuses a command for a node gone since the run started); completes the token when the wave is already
        // complete, fails it when the run was closed meanwhile, cancelling the command it sent as the run closed.
        m.put(FleetrunFunction.SEND_WAVE, EnumSet.of(Capability.SEND_COMMANDS, Capability.LIST_COMMANDS,
                Capability.DESCRIBE_NODES, Capability.CANCEL_COMMANDS, Capability.COMPLETE_TASKS, Capability.FAIL_TASKS));
        // Node events: GetCommandInvocation; command events: ListCommandInvocations; unknown command ids:
        // ListCommands for the comment; heartbeats the wait on progress, completes it when the wave is done; once a
        // leaky budget is spent, cancels the nodes of the wave's other commands that have not started.
        m.put(FleetrunFunction.STATUS_LISTENER, EnumSet.of(Capability.READ_INVOCATIONS, Capability.LIST_INVOCATIONS,
                Capability.LIST_COMMANDS, Capability.CANCEL_COMMANDS, Capability.COMPLETE_TASKS, Capability.HEARTBEAT_TASKS));
        // Polls the wave's commands; past the deadline cancels what SSM still runs.
        m.put(FleetrunFunction.RECONCILE, EnumSet.of(Capability.LIST_INVOCATIONS, Capability.CANCEL_COMMANDS));
        // Alarms count as a breach; announces "Wave Completed" and "Run Breached".
        m.put(FleetrunFunction.EVALUATE, EnumSet.of(Capability.READ_ALARMS, Capability.EMIT_EVENTS));
        // The gate between waves: announces that approval is needed, on the bus and to the alert topic, and each
        // control action ("Fleetrun Run Controlled"); completes its own wait's token when what it waits on was
        // lifted as it parked (an unpause, a promote); fails it when the run lost a node's lease and cannot go on.
        m.put(FleetrunFunction.REQUEST_APPROVAL, EnumSet.of(Capability.EMIT_EVENTS, Capability.PUBLISH_ALERTS,
                Capability.COMPLETE_TASKS, Capability.FAIL_TASKS));
        // Closing a run (finished or stopped) cancels in-flight commands, announces it and alerts when it went wrong;
        // at HoldForResume it fails the task (a workflow error) or, on a redrive, completes it (the run resumed).
        m.put(FleetrunFunction.FINISH, EnumSet.of(Capability.CANCEL_COMMANDS, Capability.EMIT_EVENTS, Capability.PUBLISH_ALERTS,
                Capability.COMPLETE_TASKS, Capability.FAIL_TASKS));
        m.put(FleetrunFunction.CLEANUP, EnumSet.of(Capability.CANCEL_COMMANDS, Capability.EMIT_EVENTS, Capability.PUBLISH_ALERTS));
        return Map.copyOf(m);
    }

    private static final Set<Capability> TASK_CAPABILITIES =
            EnumSet.of(Capability.COMPLETE_TASKS, Capability.FAIL_TASKS, Capability.HEARTBEAT_TASKS);

    private final Construct scope;
    private final Stack stack;
    private final ITable table;
    private final AlertTopic alertTopic;
    private final List<String> allowedDocuments;
    private final java.util.Optional<FleetrunSettings.InstanceTag> instanceTag;
    private final List<String> stateMachineArns;
    /*
     * The wildcard ARNs, built once with the stack's partition, Region and account: the statements grant them and
     * the cdk-nag suppressions name them, from these same values, so the two cannot diverge in any environment.
     */
    private final String anyInstance;
    private final String anyManagedInstance;
    private final String anyAlarm;
    private final String anyGroup;

    /**
     * @param scope            where the task-response policies go (outside the roles: see {@link #grant})
     * @param stateMachineArns this stack's state machines, the only ones whose tasks the functions may complete
     */
    public FunctionPermissions(Construct scope, ITable table, AlertTopic alertTopic, FleetrunSettings settings,
                               List<String> stateMachineArns) {
        this.scope = scope;
        this.stack = Stack.of(scope);
        this.table = table;
        this.alertTopic = alertTopic;
        this.allowedDocuments = settings.allowedDocuments();
        this.instanceTag = settings.instanceTag();
        this.stateMachineArns = List.copyOf(stateMachineArns);
        this.anyInstance = arn("ec2", "instance", "*", ArnFormat.SLASH_RESOURCE_NAME);
        this.anyManagedInstance = arn("ssm", "managed-instance", "*", ArnFormat.SLASH_RESOURCE_NAME);
        this.anyAlarm = arn("cloudwatch", "alarm", "*", ArnFormat.COLON_RESOURCE_NAME);
        this.anyGroup = arn("resource-groups", "group", "*", ArnFormat.SLASH_RESOURCE_NAME);
    }

    /** Grants {@code fn} its table and its capabilities. */
    public void grant(ProjectFunction fn) {
        table.grantReadWriteData(fn.role());
        Set<Capability> capabilities = CAPABILITIES.get(fn.entry());
        List<PolicyStatement> taskStatements = new ArrayList<>();
        Set<String> starActions = new TreeSet<>(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"));
        for (Capability c : capabilities) {
            for (PolicyStatement s : statements(c)) {
                if (s.getResources().contains("*")) {
                    starActions.addAll(s.getActions());
                }
                if (TASK_CAPABILITIES.contains(c)) {
                    taskStatements.add(s);
                } else {
                    fn.role().addToPolicy(s);
                }
            }
            wildcard(c).ifPresent(w -> Nag.suppressResources(fn.role(), "AwsSolutions-IAM5", w.reason(), w.arns()));
        }
        if (!taskStatements.isEmpty()) {
            // A policy of its own, not the role's default policy: the state machines reference the functions'
            // aliases, and a function depends on its role's default policy, so naming the state machines there
            // would be a dependency cycle.
            Policy.Builder.create(scope, fn.entry().logicalName() + "TaskResponsePolicy")
                    .roles(List.of(fn.role()))
                    .statements(taskStatements)
                    .build();
        }
        Nag.suppress(fn.role(), "AwsSolutions-IAM5",
                "'*' is granted only for actions that take no resource in IAM: " + String.join(", ", starActions) + ".",
                List.of("Resource::*"));
        // grantReadWriteData names the indexes as the table's ARN and "/index/*"; the finding names exactly that.
        Nag.suppressResources(fn.role(), "AwsSolutions-IAM5",
                "DynamoDB grants cover the table's own indexes (byNode, byTime), which the records queries use.",
                List.of(table.getTableArn() + "/index/*"));
    }

    /** Why a capability's resource ends in a wildcard, and the ARNs (as its statements name them) that have one. */
    private record Wildcard(String reason, List<String> arns) {
    }

    /** The wildcards of a capability, or none. */
    private java.util.Optional<Wildcard> wildcard(Capability capability) {
        return switch (capability) {
            case SEND_COMMANDS -> java.util.Optional.of(new Wildcard(
                    "Each run request chooses its nodes at run time, so SendCommand names every instance and managed"
                            + " node of this account and Region; the documents are the allow-list, and the instanceTag"
                            + " setting narrows the nodes to tagged ones.",
                    List.of(anyInstance, anyManagedInstance)));
            case LIST_GROUP_MEMBERS -> java.util.Optional.of(new Wildcard(
                    "A run request names, at run time, the resource group whose members it targets;"
                            + " ListGroupResources only lists the members of this account's groups in this Region.",
                    List.of(anyGroup)));
            case READ_ALARMS -> java.util.Optional.of(new Wildcard(
                    "A run request names, at run time, the alarms that count as a breach; DescribeAlarms only reads them.",
                    List.of(anyAlarm)));
            default -> java.util.Optional.empty();
        };
    }

    /** The statements that make up one capability. */
    List<PolicyStatement> statements(Capability capability) {
        return switch (capability) {
            case DESCRIBE_NODES -> List.of(anyResource("ssm:DescribeInstanceInformation"));
            case LIST_GROUP_MEMBERS -> List.of(statement(List.of("resource-groups:ListGroupResources"), List.of(anyGroup)),
                    anyResource("tag:GetResources"));
            case SEND_COMMANDS -> sendCommand();
            case LIST_COMMANDS -> List.of(anyResource("ssm:ListCommands"));
            case LIST_INVOCATIONS -> List.of(anyResource("ssm:ListCommandInvocations"));
            case READ_INVOCATIONS -> List.of(anyResource("ssm:GetCommandInvocation"));
            case CANCEL_COMMANDS -> List.of(anyResource("ssm:CancelCommand"));
            case COMPLETE_TASKS -> List.of(statement(List.of("states:SendTaskSuccess"), stateMachineArns));
            case FAIL_TASKS -> List.of(statement(List.of("states:SendTaskFailure"), stateMachineArns));
            case HEARTBEAT_TASKS -> List.of(statement(List.of("states:SendTaskHeartbeat"), stateMachineArns));
            case READ_ALARMS -> List.of(statement(List.of("cloudwatch:DescribeAlarms"),
                    List.of(anyAlarm)));
            case EMIT_EVENTS -> List.of(PolicyStatement.Builder.create()
                    .actions(List.of("events:PutEvents"))
                    .resources(List.of(arn("events", "event-bus", "default", ArnFormat.SLASH_RESOURCE_NAME)))
                    .conditions(Map.of("StringEquals", Map.of("events:source", EVENT_SOURCE)))
                    .build());
            case PUBLISH_ALERTS -> List.of(
                    statement(List.of("sns:Publish"), List.of(alertTopic.topic().getTopicArn())),
                    // The topic is encrypted: SNS makes a data key under the topic's key as the publisher.
                    statement(List.of("kms:GenerateDataKey", "kms:Decrypt"), List.of(alertTopic.key().getKeyArn())));
        };
    }

    /**
     * SendCommand is authorized on the document and on every node: the documents are the allow-list; the nodes are
     * any EC2 instance or hybrid managed node of the account and Region, or, with an instance tag configured, only
     * nodes that carry it (a separate statement, because documents have no such tag).
     */
    private List<PolicyStatement> sendCommand() {
        List<String> documents = allowedDocuments.stream().map(this::documentArn).toList();
        PolicyStatement.Builder nodes = PolicyStatement.Builder.create()
                .actions(List.of("ssm:SendCommand"))
                .resources(List.of(anyInstance, anyManagedInstance));
        instanceTag.ifPresent(tag -> nodes.conditions(
                Map.of("StringEquals", Map.of("ssm:resourceTag/" + tag.key(), tag.value()))));
        return List.of(statement(List.of("ssm:SendCommand"), documents), nodes.build());
    }

    /**
     * The ARN of an allowed document: as given when it is an ARN; AWS-owned documents (names that start with
     * {@code AWS}, {@code Amazon} or {@code AMZN}, which accounts cannot create) have no account in their ARN.
     */
    String documentArn(String document) {
        if (document.startsWith("arn:")) {
            return document;
        }
        String lower = document.toLowerCase(java.util.Locale.ROOT);
        boolean awsOwned = lower.startsWith("aws") || lower.startsWith("amazon") || lower.startsWith("amzn");
        return stack.formatArn(ArnComponents.builder()
                .service("ssm").resource("document").resourceName(document)
                .account(awsOwned ? "" : stack.getAccount())
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    private String arn(String service, String resource, String name, ArnFormat format) {
        return stack.formatArn(ArnComponents.builder()
                .service(service).resource(resource).resourceName(name).arnFormat(format).build());
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }

    private static PolicyStatement anyResource(String... actions) {
        for (String action : actions) {
            if (!ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.contains(action)) {
                throw new IllegalArgumentException(action + " accepts a resource: grant it on one, not on '*'");
            }
        }
        return statement(List.of(actions), List.of("*"));
    }
}
