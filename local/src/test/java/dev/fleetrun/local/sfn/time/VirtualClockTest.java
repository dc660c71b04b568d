package dev.fleetrun.local.sfn.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // a clock hold is held for its scope, never read
class VirtualClockTest {

    private final VirtualClock clock = new VirtualClock(Instant.parse("2024-01-01T00:00:00Z"));

    @Test
    void sleepersWakeInDeadlineOrderAtTheirDeadlines() throws Exception {
        List<String> woke = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        VirtualClock.Hold hold = clock.hold();
        for (int seconds : new int[] {30, 10}) {
            clock.start("sleeper-" + seconds, () -> {
                try {
                    clock.sleep(Duration.ofSeconds(seconds));
                    woke.add(seconds + "@" + clock.now());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        hold.close();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("10@2024-01-01T00:00:10Z", "30@2024-01-01T00:00:30Z"), woke);
    }

    @Test
    void aScheduledActionRunsAtItsTimeAndInterruptsASleeper() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        String[] outcome = new String[1];
        VirtualClock.Hold hold = clock.hold();
        Thread sleeper = clock.start("sleeper", () -> {
            try {
                clock.sleep(Duration.ofSeconds(100));
                outcome[0] = "slept";
            } catch (InterruptedException e) {
                outcome[0] = "interrupted at " + clock.now();
            } finally {
                done.countDown();
            }
        });
        clock.schedule("timer", Instant.parse("2024-01-01T00:00:10Z"), () -> clock.interrupt(sleeper));
        hold.close();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals("interrupted at 2024-01-01T00:00:10Z", outcome[0]);
    }

    @Test
    void aHoldStopsTimeUntilClosed() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Signal signal = clock.newSignal();
        boolean[] signalled = new boolean[1];
        try (VirtualClock.Hold hold = clock.hold()) {
            clock.start("waiter", () -> {
                try {
                    signalled[0] = clock.await(signal, clock.now().plusSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            clock.awaitIdle();
            assertEquals(Instant.parse("2024-01-01T00:00:00Z"), clock.now(), "time stands still while held");
            signal.fire();
        }
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(signalled[0], "the signal, not the deadline, ended the wait");
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), clock.now());
    }

    @Test
    void aFiringBeforeTheWaitIsKept() throws Exception {
        Signal signal = clock.newSignal();
        signal.fire();
        assertTrue(clock.await(signal, clock.now().plusSeconds(1)));
        assertFalse(clock.await(signal, clock.now()), "the firing was consumed");
    }
}
