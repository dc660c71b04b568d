package dev.fleetrun.local.sfn.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's notion of time and of waiting. Every wait of an execution (a Wait state, a retry interval, a
 * task's timeout or heartbeat, a task token, a branch to finish) goes through here, and every thread of an
 * execution is started here, so that time can be real ({@link ScaledClock}, optionally sped up) or simulated
 * ({@link VirtualClock}, which jumps ahead whenever every execution thread is waiting: a Wait of a week
 * takes no real time in a test, and its events still carry the right timestamps).
 */
public abstract class EngineClock {

    /** The current time. */
    public abstract Instant now();

    /** A new signal to wait on with {@link #await(Signal, Instant)}. */
    public Signal newSignal() {
        return new Signal(this);
    }

    /**
     * Starts a thread that takes part in the engine's work (an execution, a branch, a task invocation).
     * The thread is a virtual thread; the clock counts it as busy until it waits on the clock or ends.
     */
    public abstract Thread start(String name, Runnable body);

    /**
     * Waits until {@code signal} is fired (returns {@code true}, consuming the firing) or the clock reaches
     * {@code deadline} (returns {@code false}); {@code null} waits for the signal only.
     *
     * @throws InterruptedException when the waiting thread is interrupted (its run was cancelled)
     */
    public abstract boolean await(Signal signal, Instant deadline) throws InterruptedException;

    /** Sleeps until the clock reaches {@code deadline}. */
    public void sleepUntil(Instant deadline) throws InterruptedException {
        await(newSignal(), deadline);
    }

    /** Sleeps for {@code duration} of engine time. */
    public void sleep(Duration duration) throws InterruptedException {
        sleepUntil(now().plus(duration));
    }

    /**
     * Runs {@code action} on a thread of its own when the clock reaches {@code at}, unless the returned
     * timer is cancelled first. Used for an execution's TimeoutSeconds.
     */
    public Timer schedule(String name, Instant at, Runnable action) {
        Signal cancelled = newSignal();
        start(name, () -> {
            try {
                if (!await(cancelled, at)) {
                    action.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return cancelled::fire;
    }

    /**
     * Interrupts an engine thread (to cancel its work). Goes through the clock so that a virtual clock counts
     * the thread as busy at once, before time can move past the moment of the interrupt.
     */
    public void interrupt(Thread thread) {
        thread.interrupt();
    }

    abstract void fire(Signal signal);

    /** A scheduled action that can still be cancelled. */
    @FunctionalInterface
    public interface Timer {
        /** Cancels the action if it has not run yet. */
        void cancel();
    }
}
