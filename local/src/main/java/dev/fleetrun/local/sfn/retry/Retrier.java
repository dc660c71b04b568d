package dev.fleetrun.local.sfn.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.ErrorMatcher;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One retrier of a {@code Retry} array: which errors it retries, how often, and how long to wait before
 * each retry ({@code IntervalSeconds} times {@code BackoffRate} to the power of the retries done so far,
 * capped by {@code MaxDelaySeconds}, and with {@code JitterStrategy: FULL} a random share of that).
 */
public final class Retrier {

    private final List<String> errorEquals;
    private final long intervalSeconds;
    private final long maxAttempts;
    private final double backoffRate;
    private final Long maxDelaySeconds;
    private final boolean fullJitter;

    private Retrier(List<String> errorEquals, long intervalSeconds, long maxAttempts, double backoffRate,
                    Long maxDelaySeconds, boolean fullJitter) {
        this.errorEquals = errorEquals;
        this.intervalSeconds = intervalSeconds;
        this.maxAttempts = maxAttempts;
        this.backoffRate = backoffRate;
        this.maxDelaySeconds = maxDelaySeconds;
        this.fullJitter = fullJitter;
    }

    static Retrier parse(JsonNode node, String pointer, Problems problems) {
        Fields fields = Fields.of(node, pointer, problems, "a retrier");
        if (fields == null) {
            return null;
        }
        fields.allow("Comment");
        List<String> errors = ErrorEquals.parse(fields);
        Long interval = fields.integer("IntervalSeconds", 1);
        Long attempts = fields.integer("MaxAttempts", 0);
        Double backoff = fields.number("BackoffRate", 1.0);
        Long maxDelay = fields.integer("MaxDelaySeconds", 1);
        String jitter = fields.string("JitterStrategy");
        if (jitter != null && !jitter.equals("FULL") && !jitter.equals("NONE")) {
            fields.problem("JitterStrategy", Problems.SCHEMA, "'JitterStrategy' must be FULL or NONE, got '" + jitter + "'");
        }
        if (attempts != null && attempts > 99_999_999L) {
            fields.problem("MaxAttempts", Problems.SCHEMA, "'MaxAttempts' must be at most 99999999");
        }
        fields.rejectUnknown();
        return new Retrier(errors, interval == null ? 1 : interval, attempts == null ? 3 : attempts,
                backoff == null ? 2.0 : backoff, maxDelay, "FULL".equals(jitter));
    }

    /** The error names this retrier handles. */
    public List<String> errorEquals() {
        return errorEquals;
    }

    /** How many retries it allows. */
    public long maxAttempts() {
        return maxAttempts;
    }

    /** Whether it handles the error. */
    public boolean matches(AslError error) {
        return ErrorMatcher.matches(errorEquals, error);
    }

    /** The wait before the retry that follows {@code retriesDone} earlier retries by this retrier. */
    public Duration delay(long retriesDone, RandomGenerator random) {
        double seconds = intervalSeconds * Math.pow(backoffRate, retriesDone);
        if (maxDelaySeconds != null) {
            seconds = Math.min(seconds, maxDelaySeconds);
        }
        if (fullJitter) {
            seconds = random.nextDouble() * seconds;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
