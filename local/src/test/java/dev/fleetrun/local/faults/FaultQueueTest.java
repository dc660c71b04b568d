package dev.fleetrun.local.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultQueueTest {

    @Test
    void countedFaultsAnswerThatManyCallsInOrderThenNone() {
        FaultQueue<String> q = new FaultQueue<>();
        q.add("a", 2);
        q.add("b", 1);
        assertEquals(List.of("a", "a", "b"), q.pending());
        assertEquals("a", q.poll());
        assertEquals("a", q.poll());
        assertEquals("b", q.poll());
        assertNull(q.poll());
    }

    @Test
    void everyAnswersEveryCallAsOneEntry() {
        FaultQueue<String> q = new FaultQueue<>();
        q.add("once", 1);
        q.add("always", FaultQueue.EVERY);
        assertEquals(List.of("once", "always"), q.pending(), "an EVERY entry is listed once, not 2^31 times");
        assertEquals("once", q.poll());
        for (int i = 0; i < 10_000; i++) {
            assertEquals("always", q.poll());
        }
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FaultQueue<String>().add("x", -1));
    }
}
