package dev.fleetrun.local.ssm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulated SSM's time: a clock its timestamps come from, and a scale that turns the simulated
 * durations it waits (a reboot, a slow node's delay, the delivery and execution timeouts) into real
 * ones. With a scale of 60, a node that takes 60 s to reboot is back after one real second, and a
 * 3600 s execution timeout kills a script after one real minute. Scripts themselves run in real
 * time: a {@code sleep 1} takes a real second, which the scaled clock reports as a minute.
 */
public final class SsmTime {
    private final Clock clock;
    private final double scale;

    private SsmTime(Clock clock, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the time scale must be a positive number, got " + scale);
        }
        this.clock = clock;
        this.scale = scale;
    }

    /** Wall-clock time: every delay takes as long as it says. */
    public static SsmTime real() {
        return new SsmTime(Clock.systemUTC(), 1.0);
    }

    /** Time running {@code scale} times faster than the wall clock, from now on, timestamps included. */
    public static SsmTime scaled(double scale) {
        return new SsmTime(new FastClock(Instant.now(), System.nanoTime(), scale), scale);
    }

    /**
     * Timestamps from {@code clock} (for example the one the rest of the runtime uses), delays divided
     * by {@code scale}. The two should agree, or reported times and waits will drift apart.
     */
    public static SsmTime of(Clock clock, double scale) {
        return new SsmTime(clock, scale);
    }

    public Instant now() {
        return clock.instant();
    }

    /** The clock the timestamps come from. */
    public Clock clock() {
        return clock;
    }

    public double scale() {
        return scale;
    }

    /** How many real nanoseconds a simulated duration lasts (at least 1 for a positive duration). */
    public long realNanos(Duration simulated) {
        if (simulated.isNegative() || simulated.isZero()) {
            return 0;
        }
        double nanos = simulated.toNanos() / scale;
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) Math.ceil(nanos));
    }

    /** Real nanoseconds from now until the simulated instant {@code deadline}; 0 when it has passed. */
    public long realNanosUntil(Instant deadline) {
        return realNanos(Duration.between(now(), deadline));
    }

    @Override
    public String toString() {
        return "SsmTime[" + clock + ", x" + scale + "]";
    }

    /** A clock that runs {@code scale} times faster than the wall clock from {@code origin}. */
    private static final class FastClock extends Clock {
        private final Instant origin;
        private final long originNanos;
        private final double scale;

        FastClock(Instant origin, long originNanos, double scale) {
            this.origin = origin;
            this.originNanos = originNanos;
            this.scale = scale;
        }

        @Override
        public Instant instant() {
            long elapsed = System.nanoTime() - originNanos;
            return origin.plusNanos(scale == 1.0 ? elapsed : (long) (elapsed * scale));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the simulated SSM's clock is always UTC");
        }

        @Override
        public String toString() {
            return "FastClock[x" + scale + " from " + origin + "]";
        }
    }
}
