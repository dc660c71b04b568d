package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** Which failed writes are tried again, and how often. */
class RetryTest {

    private final Retry retry = new Retry(4, Duration.ZERO, Duration.ZERO, () -> new SplittableRandom(1));

    @Test
    void aTransactionThatLostARaceIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();

        String result = retry.onConflict("test write", () -> {
            if (calls.incrementAndGet() < 3) {
                throw cancelled("None", "TransactionConflict");
            }
            return "written";
        });

        assertEquals("written", result);
        assertEquals(3, calls.get());
    }

    @Test
    void aWriteThatMetAnotherTransactionIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();

        retry.onConflict("test write", () -> {
            if (calls.incrementAndGet() == 1) {
                throw TransactionConflictException.builder().message("in a transaction").build();
            }
            return null;
        });

        assertEquals(2, calls.get());
    }

    @Test
    void aFailedConditionGoesToTheCallerAtOnce() {
        AtomicInteger calls = new AtomicInteger();

        assertThrows(TransactionCanceledException.class, () -> retry.onConflict("test write", () -> {
            calls.incrementAndGet();
            throw cancelled("ConditionalCheckFailed", "TransactionConflict");
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void conflictsBeyondTheLastAttemptSayWhatFailed() {
        AtomicInteger calls = new AtomicInteger();

        var e = assertThrows(IllegalStateException.class, () -> retry.onConflict("recording node i-1", () -> {
            calls.incrementAndGet();
            throw cancelled("TransactionConflict");
        }));

        assertEquals(4, calls.get());
        assertTrue(e.getMessage().startsWith("recording node i-1: still conflicting"), e.getMessage());
        assertInstanceOf(TransactionCanceledException.class, e.getCause());
    }

    @Test
    void pausesDoubleUpToTheCap() {
        Retry backoff = new Retry(10, Duration.ofMillis(20), Duration.ofSeconds(1), () -> new SplittableRandom(1));

        assertEquals(20, backoff.ceilingMillis(1));
        assertEquals(40, backoff.ceilingMillis(2));
        assertEquals(640, backoff.ceilingMillis(6));
        assertEquals(1_000, backoff.ceilingMillis(7));
        assertEquals(1_000, backoff.ceilingMillis(100), "no overflow for large attempts");
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(Arrays.stream(codes).map(c -> CancellationReason.builder().code(c).build()).toList())
                .build();
    }
}
