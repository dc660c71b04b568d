package dev.fleetrun.local.sfn.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Real time, optionally sped up: with a scale of 60, a Wait of one minute takes one real second, and
 * {@link #now()} runs 60 times faster than the wall clock from the moment the clock was made. A scale of 1
 * is the wall clock itself. This is the clock of the server; tests use {@link VirtualClock}.
 */
public final class ScaledClock extends EngineClock {

    private final double scale;
    private final Instant origin;
    private final long originNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** The wall clock. */
    public ScaledClock() {
        this(1.0);
    }

    /** Time running {@code scale} times faster than the wall clock (scale &gt; 0). */
    public ScaledClock(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the time scale must be a positive number, got " + scale);
        }
        this.scale = scale;
        this.origin = Instant.now();
        this.originNanos = System.nanoTime();
    }

    /** How many times faster than the wall clock this clock runs. */
    public double scale() {
        return scale;
    }

    @Override
    public Instant now() {
        long elapsed = System.nanoTime() - originNanos;
        return origin.plusNanos(scale == 1.0 ? elapsed : (long) (elapsed * scale));
    }

    @Override
    public Thread start(String name, Runnable body) {
        return Thread.ofVirtual().name(name).start(body);
    }

    @Override
    public boolean await(Signal signal, Instant deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!signal.fired) {
                if (deadline == null) {
                    changed.await();
                    continue;
                }
                Duration left = Duration.between(now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    return false;
                }
                long realNanos = (long) Math.ceil(left.toNanos() / scale);
                changed.await(Math.max(realNanos, 1), TimeUnit.NANOSECONDS);
            }
            signal.fired = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void fire(Signal signal) {
        lock.lock();
        try {
            signal.fired = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
