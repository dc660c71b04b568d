package dev.fleetrun.local.sfn.runtime;

import dev.fleetrun.local.sfn.errors.ExecutionCancelled;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.fleetrun.local.sfn.time.EngineClock;

/**
 * What can be stopped together: an execution, and inside it each Parallel state's branches and each Map
 * state's iterations. Cancelling a scope cancels its children and interrupts the threads working in it;
 * their waits then end with {@link ExecutionCancelled}, and the states they were in record their
 * {@code ...Aborted} events.
 */
public final class CancellationScope {

    private final EngineClock clock;
    private final CancellationScope parent;
    private final List<CancellationScope> children = new ArrayList<>();
    private final Set<Thread> threads = new HashSet<>();
    private volatile String reason;

    /** A new root scope (one per execution); interrupts go through {@code clock}. */
    public CancellationScope(EngineClock clock) {
        this(clock, null);
    }

    private CancellationScope(EngineClock clock, CancellationScope parent) {
        this.clock = clock;
        this.parent = parent;
    }

    /** A scope inside this one: cancelled when this one is. */
    public synchronized CancellationScope child() {
        CancellationScope child = new CancellationScope(clock, this);
        if (reason != null) {
            child.cancel(reason);
        }
        children.add(child);
        return child;
    }

    /** Forgets a finished child scope, so that a loop of Parallel or Map states does not pile them up. */
    public void detach() {
        if (parent != null) {
            synchronized (parent) {
                parent.children.remove(this);
            }
        }
    }

    /** Records that the current thread works in this scope, until {@link #leave()}. */
    public synchronized void enter() {
        threads.add(Thread.currentThread());
        if (reason != null) {
            Thread.currentThread().interrupt();
        }
    }

    /** The current thread no longer works in this scope. */
    public synchronized void leave() {
        threads.remove(Thread.currentThread());
    }

    /** Cancels this scope and its children, interrupting their threads. The first reason given wins. */
    public void cancel(String why) {
        List<CancellationScope> toCancel;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            threads.forEach(clock::interrupt);
            toCancel = List.copyOf(children);
        }
        toCancel.forEach(child -> child.cancel(why));
    }

    /** Whether this scope was cancelled. */
    public boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled, or {@code null}. */
    public String reason() {
        return reason;
    }

    /** Throws {@link ExecutionCancelled} if this scope was cancelled. */
    public void check() {
        String why = reason;
        if (why != null) {
            throw new ExecutionCancelled(why);
        }
    }

    /** The exception for a wait that was interrupted in this scope. */
    public ExecutionCancelled cancelled() {
        Thread.currentThread().interrupt();
        return new ExecutionCancelled(reason != null ? reason : "interrupted");
    }

    /** For tests and diagnostics: the threads currently registered. */
    synchronized Set<Thread> threads() {
        return new HashSet<>(threads);
    }
}
