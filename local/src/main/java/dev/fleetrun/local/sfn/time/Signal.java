package dev.fleetrun.local.sfn.time;

/**
 * A wake-up call for one thread that waits on an {@link EngineClock}: a task waiting for its token, a
 * Parallel state waiting for its branches. {@link #fire()} wakes the waiter, or makes its next wait return at
 * once; each successful wait consumes the firing, so a signal can be fired again (a heartbeat, then the
 * result).
 *
 * <p>Waiting goes through the clock rather than a plain lock so that a virtual clock knows which threads are
 * blocked and can move time forward when all of them are.
 */
public final class Signal {

    private final EngineClock clock;
    boolean fired;
    Object waiter;

    Signal(EngineClock clock) {
        this.clock = clock;
    }

    /** Wakes the waiting thread (or the next one to wait). Safe to call from any thread, any number of times. */
    public void fire() {
        clock.fire(this);
    }
}
