package dev.fleetrun.records;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Bounded retries with full-jitter exponential backoff, for writes that lost a race with another
 * transaction on the same item (many status events for one wave arrive at once). The SDK retries
 * throttling by itself; it does not retry these.
 */
final class Retry {

    static final String CONDITION_FAILED = "ConditionalCheckFailed";
    static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final Supplier<RandomGenerator> random;

    /** @param random the jitter source, asked at every pause (the store is used from many threads) */
    Retry(int maxAttempts, Duration base, Duration cap, Supplier<RandomGenerator> random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** 10 attempts, 20 ms doubling up to 1 s: at most about 4 s of waiting. */
    static Retry standard() {
        return new Retry(10, Duration.ofMillis(20), Duration.ofSeconds(1), ThreadLocalRandom::current);
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Runs {@code write}, again after a pause when it conflicted with another transaction. A
     * cancelled transaction whose conditions failed is not retried: it goes to the caller.
     */
    <T> T onConflict(String what, Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (TransactionCanceledException e) {
                if (!isConflictOnly(e)) {
                    throw e;
                }
                if (attempt >= maxAttempts) {
                    throw exhausted(what, e);
                }
            } catch (TransactionConflictException e) {
                if (attempt >= maxAttempts) {
                    throw exhausted(what, e);
                }
            }
            pause(attempt);
        }
    }

    /** Sleeps before attempt {@code attempt + 1}: a random time up to min(cap, base * 2^(attempt-1)). */
    void pause(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long millis = ceiling <= 0 ? 0 : random.get().nextLong(ceiling + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a DynamoDB write", e);
        }
    }

    /** The longest pause before attempt {@code attempt + 1}. */
    long ceilingMillis(int attempt) {
        return Math.min(cap.toMillis(), base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20));
    }

    static boolean hasReason(TransactionCanceledException e, String code) {
        return reasons(e).stream().anyMatch(r -> code.equals(r.code()));
    }

    /** The reason code of the {@code index}-th item of the transaction, "None" if it had none. */
    static String reason(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = reasons(e);
        return index < reasons.size() && reasons.get(index).code() != null ? reasons.get(index).code() : "None";
    }

    private static List<CancellationReason> reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    }

    private static boolean isConflictOnly(TransactionCanceledException e) {
        return hasReason(e, TRANSACTION_CONFLICT) && !hasReason(e, CONDITION_FAILED);
    }

    private IllegalStateException exhausted(String what, RuntimeException cause) {
        return new IllegalStateException(what + ": still conflicting with other writes to the same items after "
                + maxAttempts + " attempts; the write can be retried as a whole", cause);
    }
}
