package dev.fleetrun.records;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Lambda process remembers between invocations (facts that never change, or when it last did
 * something): at most {@code capacity} entries, the least recently used going first. Thread-safe: the
 * embedded runtime runs one handler object for many invocations at once.
 */
public final class RecentlyUsed<K, V> {
    private final Map<K, V> entries;

    public RecentlyUsed(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value remembered for {@code key}, or null. */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /**
     * Remembers {@code value} unless the entry there still counts ({@code keep} says so of the current value,
     * if any); returns whether {@code value} was put. One step, so that two callers cannot both put.
     */
    public synchronized boolean putUnless(K key, V value, java.util.function.Predicate<V> keep) {
        V current = entries.get(key);
        if (current != null && keep.test(current)) {
            return false;
        }
        entries.put(key, value);
        return true;
    }
}
