package dev.fleetrun.local.faults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The faults scripted for the next calls of one operation (or invocations of one function), in order: each
 * entry is a fault and how many calls it still answers, {@link #EVERY} for all of them. An entry is one
 * object whatever its count, so {@code times=every} costs no more memory than {@code times=1}.
 * Thread-safe.
 */
public final class FaultQueue<T> {
    /** For {@link #add}: the fault answers every call from now on. */
    public static final int EVERY = Integer.MAX_VALUE;

    private static final class Entry<T> {
        final T fault;
        int remaining;

        Entry(T fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Deque<Entry<T>> entries = new ArrayDeque<>();

    /** The next {@code times} calls (after those already scripted) get {@code fault}; {@link #EVERY}: all of them. */
    public synchronized void add(T fault, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0, was " + times);
        }
        if (times > 0) {
            entries.add(new Entry<>(fault, times));
        }
    }

    /** The fault for this call, or null when none is scripted. */
    public synchronized T poll() {
        Entry<T> head = entries.peek();
        if (head == null) {
            return null;
        }
        if (head.remaining != EVERY && --head.remaining == 0) {
            entries.poll();
        }
        return head.fault;
    }

    /** The faults waiting, one element per call they answer (an {@link #EVERY} entry once). */
    public synchronized List<T> pending() {
        List<T> out = new ArrayList<>();
        for (Entry<T> e : entries) {
            int n = e.remaining == EVERY ? 1 : e.remaining;
            for (int i = 0; i < n; i++) {
                out.add(e.fault);
            }
        }
        return out;
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }
}
