package dev.fleetrun.infra;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Watches fleetrun itself (not the fleet): a dashboard, and alarms to the alert topic when executions fail or time
 * out, when anything reaches the dead-letter queue, when a function errors, and when reconcile runs often (SSM's
 * events are being lost or arrive late, so waves end by polling).
 */
public final class Monitoring extends Construct {

    private static final Duration FIVE_MINUTES = Duration.minutes(5);

    private final List<Alarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    public Monitoring(Construct scope, String id, List<Workflow> workflows, Collection<ProjectFunction> functions,
                      ProjectFunction reconcile, IQueue deadLetterQueue, ITopic alertTopic, int reconcileThreshold) {
        super(scope, id);
        SnsAction notify = new SnsAction(alertTopic);
        List<IWidget> widgets = new ArrayList<>();
        widgets.add(TextWidget.Builder.create()
                .markdown("# fleetrun\nExecutions of the workflows, the functions, the dead-letter queue."
                        + " Alarms go to the alert topic.")
                .width(24).height(2).build());

        for (Workflow workflow : workflows) {
            var sm = workflow.stateMachine();
            String name = workflow.definition().pascalName();
            MathExpression unfinished = MathExpression.Builder.create()
                    .expression("failed + timedOut")
                    .usingMetrics(Map.of("failed", sm.metricFailed(sum()), "timedOut", sm.metricTimedOut(sum())))
                    .label(name + " executions failed or timed out")
                    .period(FIVE_MINUTES)
                    .build();
            alarms.add(alarm(name + "ExecutionsFailed", unfinished, 1,
                    "fleetrun: a " + workflow.definition().name() + " execution failed or timed out: a run that did not"
                            + " succeed (its error Fleetrun.<Outcome> and one-line cause say how; the run's own alert says the"
                            + " same), a request refused at the start, or the workflow itself broke. Look at the execution"
                            + " in the Step Functions console, or: fleetrun status RUN."));
            widgets.add(GraphWidget.Builder.create()
                    .title(workflow.definition().name() + " executions")
                    .left(List.of(sm.metricStarted(sum()), sm.metricSucceeded(sum()), sm.metricFailed(sum()),
                            sm.metricAborted(sum()), sm.metricTimedOut(sum())))
                    .width(12).build());
        }

        Metric dlqDepth = (Metric) deadLetterQueue.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().statistic("Maximum").period(FIVE_MINUTES).build());
        alarms.add(alarm("DeadLetterQueueNotEmpty", dlqDepth, 1,
                "fleetrun: an event could not be delivered or processed (SSM status, execution status or a job trigger)."
                        + " Read the message attributes in the dead-letter queue: they name the rule and the error."));
        widgets.add(GraphWidget.Builder.create().title("Dead-letter queue depth").left(List.of(dlqDepth)).width(12).build());

        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        for (ProjectFunction fn : functions) {
            String name = fn.entry().logicalName();
            errors.add(fn.function().metricErrors(
                    MetricOptions.builder().statistic("Sum").period(FIVE_MINUTES).label(name).build()));
            durations.add(fn.function().metricDuration(MetricOptions.builder().statistic("p99").label(name).build()));
            alarms.add(alarm(name + "Errors", fn.function().metricErrors(sum()), 1,
                    "fleetrun: the " + name + " function failed. Its log group has the error; the workflow retries"
                            + " or fails the execution."));
        }
        widgets.add(GraphWidget.Builder.create().title("Function errors").left(errors).width(12).build());
        widgets.add(GraphWidget.Builder.create().title("Function duration p99").left(durations).width(12).build());

        MetricOptions hourly = MetricOptions.builder().statistic("Sum").period(Duration.hours(1)).build();
        alarms.add(alarm("ReconcileActivations", reconcile.function().metricInvocations(hourly), reconcileThreshold,
                "fleetrun: wave waits often end by polling instead of SSM's events. Events may be lost (check the"
                        + " SSM status rule and the dead-letter queue) or commands run longer than the heartbeat."));
        widgets.add(GraphWidget.Builder.create().title("Reconcile activations per hour")
                .left(List.of(reconcile.function().metricInvocations(hourly))).width(12).build());

        for (Alarm alarm : alarms) {
            alarm.addAlarmAction(notify);
        }
        dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        dashboard.addWidgets(widgets.get(0));
        for (int i = 1; i < widgets.size(); i += 2) { // two half-width graphs a row
            dashboard.addWidgets(widgets.subList(i, Math.min(i + 2, widgets.size())).toArray(IWidget[]::new));
        }
    }

    /** Sums over five minutes; unlabelled, so alarms show the plain metric. */
    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(FIVE_MINUTES).build();
    }

    private Alarm alarm(String id, IMetric metric, int threshold, String description) {
        return Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
