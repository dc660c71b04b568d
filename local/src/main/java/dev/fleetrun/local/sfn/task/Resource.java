package dev.fleetrun.local.sfn.task;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Task state's {@code Resource}, understood: a Lambda function ARN, a service integration
 * ({@code arn:aws:states:::sns:publish}, {@code arn:aws:states:::lambda:invoke.waitForTaskToken},
 * {@code arn:aws:states:::aws-sdk:dynamodb:getItem}), an activity, or something else.
 *
 * @param arn          the resource as written
 * @param kind         what kind of resource it is
 * @param service      the service of an integration ({@code lambda}, {@code sns}, {@code aws-sdk:dynamodb}) or {@code lambda} for a function ARN
 * @param action       the action of an integration ({@code invoke}, {@code publish}), the function name for a function ARN
 * @param pattern      how the task waits for its result
 */
public record Resource(String arn, Kind kind, String service, String action, IntegrationPattern pattern) {

    /** What a resource is. */
    public enum Kind { LAMBDA_FUNCTION, SERVICE_INTEGRATION, ACTIVITY, UNKNOWN }

    /** The service integration patterns. */
    public enum IntegrationPattern {
        /** Call and take the response. */
        REQUEST_RESPONSE(""),
        /** Call, then wait for SendTaskSuccess or SendTaskFailure with the task token. */
        WAIT_FOR_TASK_TOKEN(".waitForTaskToken"),
        /** Call and wait for the job to complete. */
        SYNC(".sync");

        private final String suffix;

        IntegrationPattern(String suffix) {
            this.suffix = suffix;
        }

        /** The suffix of the resource ARN that selects the pattern. */
        public String suffix() {
            return suffix;
        }
    }

    private static final Pattern LAMBDA = Pattern.compile("arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(:[^:]+)?");
    private static final Pattern INTEGRATION = Pattern.compile("arn:aws[a-z-]*:states:[^:]*:[^:]*:((?:aws-sdk:)?[A-Za-z0-9-]+):([A-Za-z0-9]+)((?:\\.sync(?::2)?|\\.waitForTaskToken)?)");
    private static final Pattern ACTIVITY = Pattern.compile("arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:.+");

    /** Reads a resource ARN. */
    public static Resource parse(String arn) {
        Matcher lambda = LAMBDA.matcher(arn);
        if (lambda.matches()) {
            return new Resource(arn, Kind.LAMBDA_FUNCTION, "lambda", lambda.group(1), IntegrationPattern.REQUEST_RESPONSE);
        }
        if (ACTIVITY.matcher(arn).matches()) {
            return new Resource(arn, Kind.ACTIVITY, "activity", arn, IntegrationPattern.REQUEST_RESPONSE);
        }
        Matcher integration = INTEGRATION.matcher(arn);
        if (integration.matches()) {
            String suffix = integration.group(3);
            IntegrationPattern pattern = suffix.isEmpty() ? IntegrationPattern.REQUEST_RESPONSE
                    : suffix.startsWith(".sync") ? IntegrationPattern.SYNC : IntegrationPattern.WAIT_FOR_TASK_TOKEN;
            return new Resource(arn, Kind.SERVICE_INTEGRATION, integration.group(1), integration.group(2), pattern);
        }
        return new Resource(arn, Kind.UNKNOWN, null, null, IntegrationPattern.REQUEST_RESPONSE);
    }

    /** The key invokers are registered under: {@code service:action} ({@code lambda:invoke}, {@code sns:publish}). */
    public String integrationKey() {
        return kind == Kind.SERVICE_INTEGRATION ? service + ":" + action : null;
    }

    /** Whether the task waits for a task token. */
    public boolean waitsForTaskToken() {
        return pattern == IntegrationPattern.WAIT_FOR_TASK_TOKEN;
    }

    /** The {@code resourceType} of task history events: the service ({@code lambda}, {@code sns}). */
    public String eventResourceType() {
        return service == null ? "unknown" : service;
    }

    /** The {@code resource} of task history events: the action with its pattern ({@code invoke.waitForTaskToken}). */
    public String eventResource() {
        if (kind != Kind.SERVICE_INTEGRATION) {
            return arn;
        }
        String suffix = arn.substring(arn.lastIndexOf(':') + 1);
        return suffix.startsWith(action) ? suffix : action + pattern.suffix();
    }
}
