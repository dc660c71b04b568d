package dev.fleetrun.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.catalog.jobs.Job;
import dev.fleetrun.catalog.jobs.JobRules;
import dev.fleetrun.catalog.jobs.TriggerInput;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * One EventBridge rule per job of the jobs file, each starting the workflow with the job's run request and a
 * {@code trigger} (see {@link TriggerInput}):
 * <ul>
 *   <li>a scheduled job: a schedule rule with a constant input;</li>
 *   <li>an alarm job: a rule on {@code CloudWatch Alarm State Change} to {@code ALARM} for the job's alarms, whose
 *       input transformer copies the alarm's name, ARN, state and time (and, with {@code targetAlarmInstance}, its
 *       {@code InstanceId} dimension as the run's only target).</li>
 * </ul>
 * Starts that EventBridge cannot make after its retries land in the dead-letter queue.
 */
public final class JobTriggers extends Construct {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    public JobTriggers(Construct scope, String id, List<Job> jobs, IStateMachine workflow, IQueue deadLetterQueue) {
        super(scope, id);
        for (Job job : jobs) {
            String description = ("fleetrun job " + job.name() + (job.description().isEmpty() ? "" : ": " + job.description()));
            Rule.Builder rule = Rule.Builder.create(this, ruleId(job))
                    .description(description.length() > 512 ? description.substring(0, 512) : description)
                    .enabled(job.enabled());
            ObjectNode input;
            switch (job) {
                case Job.ScheduleJob s -> {
                    rule.schedule(Schedule.expression(s.schedule()));
                    input = TriggerInput.schedule(s);
                }
                case Job.AlarmJob a -> {
                    rule.eventPattern(EventPattern.builder()
                            .source(List.of(JobRules.ALARM_SOURCE))
                            .detailType(List.of(JobRules.ALARM_STATE_CHANGE))
                            .detail(JobRules.alarmDetail(a))
                            .build());
                    input = TriggerInput.alarm(a, EventField::fromPath);
                }
            }
            rule.targets(List.of(SfnStateMachine.Builder.create(workflow)
                    .input(RuleTargetInput.fromObject(JSON.convertValue(input, MAP)))
                    .deadLetterQueue(deadLetterQueue)
                    .retryAttempts(StatusRouting.RETRY_ATTEMPTS)
                    // A start delayed by more than an hour has missed its window: better not to run than run late.
                    .maxEventAge(Duration.hours(1))
                    .build()));
            rule.build();
        }
    }

    /** The construct id of a job's rule: {@code Schedule-patch-web}, {@code Alarm-restart-web}. */
    static String ruleId(Job job) {
        return JobRules.ruleName(job);
    }
}
