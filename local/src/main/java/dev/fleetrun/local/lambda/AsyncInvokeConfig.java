package dev.fleetrun.local.lambda;

import java.time.Duration;

/**
 * How Lambda retries a function's asynchronous events ({@code PutFunctionEventInvokeConfig}): function errors
 * are retried {@code retryAttempts} times (0 to 2; one minute before the first retry, two before the second);
 * throttles and service errors are retried with back-off from 1 second to 5 minutes; an event older than
 * {@code maxEventAge} (60 s to 6 h) is dropped. Dropped events go to the registry's dead letters.
 */
public record AsyncInvokeConfig(int retryAttempts, Duration maxEventAge) {

    /** Lambda's defaults: 2 retries, 6 hours. */
    public static final AsyncInvokeConfig DEFAULT = new AsyncInvokeConfig(2, Duration.ofHours(6));

    public AsyncInvokeConfig {
        if (retryAttempts < 0 || retryAttempts > 2) {
            throw new IllegalArgumentException("retryAttempts must be 0, 1 or 2 (as in Lambda), was " + retryAttempts);
        }
        if (maxEventAge.compareTo(Duration.ofSeconds(60)) < 0 || maxEventAge.compareTo(Duration.ofHours(6)) > 0) {
            throw new IllegalArgumentException("maxEventAge must be from 60 seconds to 6 hours (as in Lambda), was "
                    + maxEventAge);
        }
    }

    /** The wait before retry number {@code retry} (1 or 2) after a function error. */
    Duration functionErrorDelay(int retry) {
        return Duration.ofMinutes(retry);
    }

    /** The wait before the {@code n}-th retry (1-based) after a throttle or a service error. */
    static Duration serviceErrorDelay(int n) {
        long seconds = 1L << Math.min(n - 1, 9);
        return Duration.ofSeconds(Math.min(seconds, 300));
    }
}
