package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import dev.fleetrun.catalog.FleetrunFunction;
import dev.fleetrun.catalog.jobs.Job;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * fleetrun in one stack: the records table, the functions of the catalog, the workflows of {@code statemachines/},
 * the rules that feed them (SSM status, execution status, the jobs file), the alert topic, the output bucket, and
 * the dashboard and alarms that watch it all.
 */
public final class FleetrunStack extends Stack {

    /** The workflow that triggers (jobs, console, CLI) start. */
    public static final String MAIN_WORKFLOW = "rolling-run";

    /**
     * What the stack is built from; {@link FleetrunApp} reads it from the repository, tests make their own.
     *
     * @param workflows the definitions of {@code statemachines/}, one of them {@value #MAIN_WORKFLOW}
     * @param code      the functions' code asset
     */
    public record Inputs(FleetrunSettings settings, List<WorkflowDefinition> workflows, List<Job> jobs, Code code) {
        public Inputs {
            workflows = List.copyOf(workflows);
            jobs = List.copyOf(jobs);
        }
    }

    private final Map<FleetrunFunction, ProjectFunction> functions = new EnumMap<>(FleetrunFunction.class);
    private final List<Workflow> workflows = new ArrayList<>();
    private final RecordsTable records;
    private final AlertTopic alerts;
    private final OutputBucket output;
    private final Queue deadLetters;
    private final StatusRouting statusRouting;
    private final Monitoring monitoring;

    public FleetrunStack(Construct scope, String id, StackProps props, Inputs inputs) {
        super(scope, id, props);
        FleetrunSettings settings = inputs.settings();
        if (inputs.workflows().stream().noneMatch(w -> w.name().equals(MAIN_WORKFLOW))) {
            throw new ConfigurationException("workflows", List.of("statemachines/" + MAIN_WORKFLOW
                    + WorkflowDefinition.SUFFIX + " is missing: it is the workflow the triggers start"));
        }
        RetentionDays logRetention = logRetention(settings.logRetentionDays());

        records = new RecordsTable(this, "Records");
        alerts = new AlertTopic(this, "Alerts", settings.alertEmail());
        output = new OutputBucket(this, "Output", settings.outputRetentionDays());
        deadLetters = Queue.Builder.create(this, "DeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Nag.suppress(deadLetters, "AwsSolutions-SQS3",
                "This queue is the dead-letter queue of the event rules and the asynchronous invocations; it needs no DLQ of its own.");

        JavaFunctionFactory factory = new JavaFunctionFactory(new Construct(this, "Functions"), inputs.code(),
                FunctionEnvironment.of(settings, records.table().getTableName(), alerts.topic().getTopicArn()),
                logRetention);
        Map<String, String> substitutions = new LinkedHashMap<>();
        for (FleetrunFunction entry : FleetrunFunction.values()) {
            ProjectFunction fn = factory.create(entry);
            functions.put(entry, fn);
            substitutions.put(entry.placeholder(), fn.alias().getFunctionArn());
        }

        Construct workflowScope = new Construct(this, "Workflows");
        for (WorkflowDefinition definition : inputs.workflows()) {
            // The deployed definition names its service integrations in this stack's partition.
            Map<String, String> available = new LinkedHashMap<>(substitutions);
            available.putAll(definition.partitionArns(getPartition()));
            Workflow workflow = new Workflow(workflowScope, definition, available, logRetention);
            for (ProjectFunction fn : functions.values()) {
                if (definition.placeholders().contains(fn.entry().placeholder())) {
                    fn.alias().grantInvoke(workflow.stateMachine());
                }
            }
            workflows.add(workflow);
        }
        List<String> stateMachineArns = workflows.stream().map(w -> w.stateMachine().getStateMachineArn()).toList();

        FunctionPermissions permissions = new FunctionPermissions(new Construct(this, "Permissions"),
                records.table(), alerts, settings, stateMachineArns);
        functions.values().forEach(permissions::grant);

        statusRouting = new StatusRouting(this, "StatusRouting", settings.allowedDocuments(),
                functions.get(FleetrunFunction.STATUS_LISTENER), functions.get(FleetrunFunction.CLEANUP),
                stateMachineArns, deadLetters);
        new JobTriggers(this, "Jobs", inputs.jobs(), mainWorkflow().stateMachine(), deadLetters);
        monitoring = new Monitoring(this, "Monitoring", workflows, functions.values(),
                functions.get(FleetrunFunction.RECONCILE), deadLetters, alerts.topic(), settings.reconcileAlarmThreshold());

        for (Workflow workflow : workflows) {
            output(workflow.definition().pascalName() + "StateMachineArn", workflow.stateMachine().getStateMachineArn(),
                    "Start a " + workflow.definition().name() + " execution here (console, CLI, SDK)");
        }
        output("TableName", records.table().getTableName(), "fleetrun's records (runs, waves, nodes, leases)");
        output("AlertTopicArn", alerts.topic().getTopicArn(), "Subscribe to breach, failure and health alerts");
        output("OutputBucketName", output.bucket().getBucketName(), "Use as output.s3Bucket in run requests");
        output("NodeOutputPolicyArn", output.nodeWritePolicy().getManagedPolicyArn(),
                "Attach to node instance profiles so the SSM agent can write output to the bucket");
        output("DashboardName", monitoring.dashboard().getDashboardName(), "The CloudWatch dashboard of fleetrun");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** CloudWatch Logs' retention for a number of days that {@link FleetrunSettings} accepted. */
    static RetentionDays logRetention(int days) {
        return switch (days) {
            case 1 -> RetentionDays.ONE_DAY;
            case 3 -> RetentionDays.THREE_DAYS;
            case 5 -> RetentionDays.FIVE_DAYS;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 60 -> RetentionDays.TWO_MONTHS;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 120 -> RetentionDays.FOUR_MONTHS;
            case 150 -> RetentionDays.FIVE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            case 365 -> RetentionDays.ONE_YEAR;
            case 400 -> RetentionDays.THIRTEEN_MONTHS;
            case 545 -> RetentionDays.EIGHTEEN_MONTHS;
            case 731 -> RetentionDays.TWO_YEARS;
            case 1096 -> RetentionDays.THREE_YEARS;
            case 1827 -> RetentionDays.FIVE_YEARS;
            case 2192 -> RetentionDays.SIX_YEARS;
            case 2557 -> RetentionDays.SEVEN_YEARS;
            case 2922 -> RetentionDays.EIGHT_YEARS;
            case 3288 -> RetentionDays.NINE_YEARS;
            case 3653 -> RetentionDays.TEN_YEARS;
            default -> throw new IllegalArgumentException("CloudWatch Logs has no retention of " + days + " days");
        };
    }

    public RecordsTable records() {
        return records;
    }

    public AlertTopic alerts() {
        return alerts;
    }

    public OutputBucket output() {
        return output;
    }

    /** Where undeliverable events and failed asynchronous invocations go. */
    public Queue deadLetters() {
        return deadLetters;
    }

    public StatusRouting statusRouting() {
        return statusRouting;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public Map<FleetrunFunction, ProjectFunction> functions() {
        return Map.copyOf(functions);
    }

    public List<Workflow> workflows() {
        return List.copyOf(workflows);
    }

    /** The {@value #MAIN_WORKFLOW} workflow. */
    public Workflow mainWorkflow() {
        return workflows.stream().filter(w -> w.definition().name().equals(MAIN_WORKFLOW)).findFirst().orElseThrow();
    }
}
