package dev.fleetrun.local.events;

import java.util.Map;

/**
 * A rule's target, as PutTargets sets it. At most one of {@code input}, {@code inputPath} and
 * {@code inputTransformer} is set; with none the target gets the whole event.
 *
 * @param id               the target's id within its rule
 * @param arn              a Lambda function or a state machine
 * @param input            constant JSON text sent instead of the event, or null
 * @param inputPath        a JSONPath into the event whose value is sent, or null
 * @param inputTransformer paths into the event and a template that uses them, or null
 * @param retryPolicy      how failed deliveries are retried
 * @param deadLetterArn    the dead-letter queue named by the rule's owner (kept, not used: the bus keeps its own
 *                         list of failed deliveries), or null
 */
public record Target(String id, String arn, String input, String inputPath, InputTransformer inputTransformer,
                     RetryPolicy retryPolicy, String deadLetterArn) {

    public Target {
        retryPolicy = retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy;
    }

    /** A target that gets the whole event. */
    public static Target of(String id, String arn) {
        return new Target(id, arn, null, null, null, RetryPolicy.DEFAULT, null);
    }

    /** {@code InputTransformer}: names bound to JSONPaths into the event, and a template that uses them as {@code <name>}. */
    public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {
        public InputTransformer {
            inputPathsMap = inputPathsMap == null ? Map.of() : Map.copyOf(inputPathsMap);
        }
    }

    /**
     * {@code RetryPolicy}: how many times and for how long EventBridge retries a delivery the target refused
     * (defaults 185 times, 24 hours).
     */
    public record RetryPolicy(int maximumRetryAttempts, int maximumEventAgeInSeconds) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(185, 86_400);

        public RetryPolicy {
            if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
                throw new IllegalArgumentException("MaximumRetryAttempts must be from 0 to 185, was " + maximumRetryAttempts);
            }
            if (maximumEventAgeInSeconds < 60 || maximumEventAgeInSeconds > 86_400) {
                throw new IllegalArgumentException("MaximumEventAgeInSeconds must be from 60 to 86400, was "
                        + maximumEventAgeInSeconds);
            }
        }
    }
}
