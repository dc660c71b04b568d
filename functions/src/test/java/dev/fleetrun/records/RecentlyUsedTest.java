package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentlyUsedTest {

    @Test
    void theLeastRecentlyUsedEntryGoesFirstPastCapacity() {
        RecentlyUsed<String, Integer> kept = new RecentlyUsed<>(2);
        kept.put("a", 1);
        kept.put("b", 2);
        assertEquals(1, kept.get("a")); // a is now the most recently used

        kept.put("c", 3);

        assertNull(kept.get("b"), "b was the least recently used");
        assertEquals(1, kept.get("a"));
        assertEquals(3, kept.get("c"));
    }

    @Test
    void putUnlessKeepsAnEntryThatStillCounts() {
        RecentlyUsed<String, Integer> lastBeat = new RecentlyUsed<>(4);

        assertTrue(lastBeat.putUnless("wave", 10, last -> 10 < last + 5), "nothing there yet");
        assertFalse(lastBeat.putUnless("wave", 12, last -> 12 < last + 5), "the beat at 10 still counts at 12");
        assertEquals(10, lastBeat.get("wave"));
        assertTrue(lastBeat.putUnless("wave", 15, last -> 15 < last + 5), "not at 15");
        assertEquals(15, lastBeat.get("wave"));
    }
}
