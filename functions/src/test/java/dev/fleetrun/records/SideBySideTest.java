package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void resultsComeInInputOrderWhateverOrderTheCallsEndIn() {
        List<Integer> inputs = IntStream.range(0, 12).boxed().toList();

        List<String> out = SideBySide.map(inputs, n -> {
            sleep(12 - n); // the last inputs end first
            return "r" + n;
        });

        assertEquals(inputs.stream().map(n -> "r" + n).toList(), out);
    }

    @Test
    void callsRunSideBySideAtMostWidthAtOnce() throws InterruptedException {
        CountDownLatch allIn = new CountDownLatch(SideBySide.WIDTH);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();

        SideBySide.map(IntStream.range(0, 3 * SideBySide.WIDTH).boxed().toList(), n -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            allIn.countDown();
            try {
                allIn.await(5, TimeUnit.SECONDS); // the first WIDTH calls meet: they ran at the same time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return n;
        });

        assertEquals(SideBySide.WIDTH, most.get());
        assertTrue(threads.stream().allMatch(t -> t.equals("fleetrun-dynamodb")), threads.toString());
    }

    @Test
    void everyCallRunsThenTheFirstFailureInInputOrderIsThrown() {
        AtomicInteger ran = new AtomicInteger();
        IllegalStateException second = new IllegalStateException("second");

        var thrown = assertThrows(IllegalStateException.class, () -> SideBySide.map(List.of(0, 1, 2, 3, 4), n -> {
            ran.incrementAndGet();
            if (n == 3) {
                throw new IllegalStateException("fourth");
            }
            if (n == 1) {
                sleep(20);
                throw second;
            }
            return n;
        }));

        assertSame(second, thrown);
        assertEquals(5, ran.get(), "a failure does not call off the others: each may have written");
    }

    @Test
    void chunksAreConsecutiveAndAtMostTheirSize() {
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5)), SideBySide.chunks(List.of(1, 2, 3, 4, 5), 2));
        assertEquals(List.of(), SideBySide.chunks(List.of(), 100));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
